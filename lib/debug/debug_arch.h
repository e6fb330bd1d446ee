/* SPDX-License-Identifier: BSD-3-Clause */
/* What lib/debug needs per architecture (x86_64/regs.c, ...). */
#ifndef DEBUG_ARCH_H
#define DEBUG_ARCH_H

struct mica_arch_regs;

void mica_debug_dump_regs(const struct mica_arch_regs *regs);
/* Backtrace starting at the trapped instruction and its frame. */
void mica_debug_backtrace_regs(const struct mica_arch_regs *regs);

#endif /* DEBUG_ARCH_H */
