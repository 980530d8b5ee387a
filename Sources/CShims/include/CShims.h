#ifndef ZWGK_CSHIMS_H
#define ZWGK_CSHIMS_H

/// rename(2) that fails with EEXIST instead of replacing an existing target
/// (renameat2 with RENAME_NOREPLACE). Returns 0 or -1 with errno set.
int zwgk_rename_noreplace(const char *from, const char *to);

#endif
