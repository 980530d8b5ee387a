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

#endif
