/* coro_switch(from=%rdi, to=%rsi): save callee-saved registers, the x87
 * control word and MXCSR on the current stack, store rsp in from->sp, load
 * to->sp and pop the same. */
	.text
	.globl coro_switch
	.type coro_switch, @function
coro_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size coro_switch, .-coro_switch

/* First entry of a coroutine: r12 = fn, r13 = arg (set up by coro_init). */
	.globl coro_trampoline
	.type coro_trampoline, @function
coro_trampoline:
	andq $-16, %rsp
	movq %r13, %rdi
	callq *%r12
	ud2
	.size coro_trampoline, .-coro_trampoline
	.section .note.GNU-stack,"",@progbits
