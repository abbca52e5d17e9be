/* The x86-64 system call table. */
#ifndef CVISOR_SENTRY_SYSCALLS_TABLE_H
#define CVISOR_SENTRY_SYSCALLS_TABLE_H
#include <stdio.h>
void syscall_table_print(FILE *out);
#endif
