/* execve inside the sandbox: replaces a task's program. */
#ifndef CVISOR_SENTRY_LOADER_EXEC_H
#define CVISOR_SENTRY_LOADER_EXEC_H

struct task;

/* Loads path (ELF or #! script) into t with argv and envp; 0 or -errno. */
long exec_task(struct task *t, const char *path, char **argv, char **envp);

/* argv[0] as it is if it holds a '/', else searched in the PATH of envp as
 * execvp does (EACCES if only unrunnable ones were found). */
long exec_search(struct task *t, char **argv, char **envp);

#endif
