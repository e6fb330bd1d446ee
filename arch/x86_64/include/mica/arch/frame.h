/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64 stack frames, for backtraces (built with frame pointers). */
#ifndef MICA_ARCH_FRAME_H
#define MICA_ARCH_FRAME_H

/* What rbp points at in a function built with -fno-omit-frame-pointer. */
struct mica_arch_frame {
	struct mica_arch_frame *next; /* the caller's saved rbp */
	unsigned long ret;	      /* return address into the caller */
};

#endif /* MICA_ARCH_FRAME_H */
