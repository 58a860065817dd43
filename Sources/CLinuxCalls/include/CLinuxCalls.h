#ifndef TRIAGE_CLINUXCALLS_H
#define TRIAGE_CLINUXCALLS_H

// Linux system calls that Swift's Glibc module does not expose (variadic `syscall`, or declared
// only under _GNU_SOURCE). Each wrapper returns what the call returns and leaves errno set.

/// rename(2) that fails with EEXIST instead of replacing the target (renameat2 RENAME_NOREPLACE).
int triage_renameat_noreplace(int fromDirectory, const char *from, int toDirectory, const char *to);

/// openat(2) for reading that leaves the file's access time alone (O_NOATIME) where the caller
/// owns the file. O_NOATIME is refused (EPERM) for a file the caller does not own; after the first
/// refusal every later call opens without it, so a spool written by another user costs one extra
/// attempt per process, not one per file.
int triage_openat_without_atime(int directory, const char *name, int flags);

/// Sets the calling thread's nice value to the main thread's plus `increment`, unless it is that
/// high already (setpriority(2) on its thread id: on Linux nice is per thread). An unprivileged
/// thread cannot lower it again.
int triage_renice_this_thread(int increment);

/// The calling thread's nice value, or -100 if it cannot be read.
int triage_this_thread_niceness(void);

/// Names the calling thread as top, perf and /proc show it: the first 15 bytes of `name`.
int triage_name_this_thread(const char *name);

/// Starts `path` (argv `argv`, NULL-terminated; no shell) with `input`, `output` and `error` as its
/// standard descriptors and no other, in a process group of its own that the kernel kills (SIGKILL)
/// when the calling thread's process dies, even by SIGKILL: a notifier never outlives its courier.
/// Returns the child's pid, or -1 with errno set (also when exec failed, with exec's errno).
int triage_spawn_tied(const char *path, char *const argv[], int input, int output, int error);

#endif
