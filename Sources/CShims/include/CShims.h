#ifndef ZWGK_CSHIMS_H
#define ZWGK_CSHIMS_H

/// rename(2) that fails with EEXIST instead of replacing an existing target
/// (renameat2 with RENAME_NOREPLACE). Returns 0 or -1 with errno set.
int zwgk_rename_noreplace(const char *from, const char *to);


/// Atomically exchanges two existing paths (renameat2 with RENAME_EXCHANGE). Returns 0 or -1 with errno set.
int zwgk_rename_exchange(const char *a, const char *b);

/// Whether another process has the file behind `fd` open for writing, using a read lease (F_SETLEASE):
/// 0 not open for writing, 1 open for writing, -1 unknown (errno set: no lease capability, or unsupported).
int zwgk_open_for_writing(int fd);

/// Returns freed heap memory to the system (malloc_trim), after a burst of allocation.
void zwgk_trim_heap(void);

/// Size of the fixed part of struct inotify_event.
unsigned long zwgk_inotify_event_size(void);

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the SHA extensions (x86-64 SHA-NI) that `zwgk_sha256_blocks` uses.
int zwgk_sha256_hardware(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks with the CPU's SHA extensions.
/// `state` is H0…H7 and `k` the 64 round constants. Call only when `zwgk_sha256_hardware()` returned 1.
void zwgk_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks, const uint32_t k[64]);

#endif
