#ifndef TRIAGE_CLINUXCALLS_H
#define TRIAGE_CLINUXCALLS_H

// Linux system calls that Swift's Glibc module does not expose (variadic `syscall`, or declared
// only under _GNU_SOURCE). Each wrapper returns what the call returns and leaves errno set.

/// rename(2) that fails with EEXIST instead of replacing the target (renameat2 RENAME_NOREPLACE).
int triage_renameat_noreplace(int fromDirectory, const char *from, int toDirectory, const char *to);

#endif
