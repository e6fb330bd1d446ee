/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap: at memory init, the free memory the platform reported, less
 * everything it also marked as taken (the image with its stack and page
 * tables, boot modules, firmware), becomes the default allocator's.
 * alloc.heap=SIZE caps how much of it the heap takes.
 */
#include <stdint.h>
#include <mica/alloc_driver.h>
#include <mica/boot.h>
#include <mica/log.h>
#include <mica/params.h>
#include <mica/plat/bootinfo.h>

#define HEAP_MAX_PIECES 32

static size_t heap_limit;
MICA_PARAM_SIZE(heap, heap_limit,
		"heap size limit, e.g. 64M (0: all free memory)");

struct heap_piece {
	uintptr_t start, end;
};

static unsigned int heap_add_piece(struct heap_piece *p, unsigned int n,
				   uintptr_t start, uintptr_t end)
{
	start = MICA_ALIGN_UP(start, MICA_ALLOC_PAGE_SIZE);
	end = MICA_ALIGN_DOWN(end, MICA_ALLOC_PAGE_SIZE);
	if (end <= start)
		return n;
	if (n == HEAP_MAX_PIECES) {
		mica_pr_warn("too many memory pieces: %lu KiB unused",
			     (unsigned long)((end - start) >> 10));
		return n;
	}
	p[n].start = start;
	p[n].end = end;
	return n + 1;
}

/* Drop the pieces a cut emptied; returns how many are left. */
static unsigned int heap_compact(struct heap_piece *p, unsigned int n)
{
	unsigned int i, j;

	for (i = j = 0; i < n; i++) {
		if (p[i].end > p[i].start)
			p[j++] = p[i];
	}
	return j;
}

/* Free regions minus every region that is not free. */
static unsigned int heap_pieces(const struct mica_bootinfo *bi,
				struct heap_piece *out)
{
	unsigned int n = 0, i, j;

	for (i = 0; i < bi->nr_regions; i++) {
		const struct mica_mem_region *r = &bi->regions[i];

		if (r->flags != MICA_MEM_FREE || r->base + r->len < r->base)
			continue;
		n = heap_add_piece(out, n, r->base, r->base + r->len);
	}
	for (i = 0; i < bi->nr_regions; i++) {
		const struct mica_mem_region *t = &bi->regions[i];
		uintptr_t ts = t->base, te = t->base + t->len;
		unsigned int m;

		if (t->flags == MICA_MEM_FREE)
			continue;
		if (te < ts)
			te = UINTPTR_MAX; /* reaches the top of memory */
		n = heap_compact(out, n);
		m = n;
		/* Cut [ts, te) out of every piece, splitting if needed. */
		for (j = 0; j < m; j++) {
			struct heap_piece p = out[j];

			if (te <= p.start || ts >= p.end)
				continue;
			out[j].end = out[j].start; /* emptied */
			if (ts > p.start)
				n = heap_add_piece(out, n, p.start, ts);
			if (te < p.end)
				n = heap_add_piece(out, n, te, p.end);
		}
	}
	return heap_compact(out, n);
}

static int heap_init(void)
{
	const struct mica_bootinfo *bi = mica_boot_info();
	struct heap_piece pieces[HEAP_MAX_PIECES];
	struct mica_alloc *a = NULL;
	unsigned int n, i, best = 0;
	size_t left = heap_limit ? heap_limit : (size_t)-1, len;

	n = heap_pieces(bi, pieces);
	/* The largest piece goes first: it holds the allocator's state. */
	for (i = 1; i < n; i++) {
		if (pieces[i].end - pieces[i].start >
		    pieces[best].end - pieces[best].start)
			best = i;
	}
	if (n) {
		struct heap_piece tmp = pieces[0];

		pieces[0] = pieces[best];
		pieces[best] = tmp;
	}
	for (i = 0; i < n && left >= MICA_ALLOC_PAGE_SIZE; i++) {
		len = pieces[i].end - pieces[i].start;
		if (len > left)
			len = MICA_ALIGN_DOWN(left, MICA_ALLOC_PAGE_SIZE);
		if (!a) {
			a = mica_alloc_default_backend_create(
				(void *)pieces[i].start, len);
			if (!a)
				break;
		} else if (a->ops->add_memory(a, (void *)pieces[i].start, len) <
			   0) {
			continue;
		}
		left -= len;
	}
	if (!a) {
		mica_pr_warn("no memory for the heap: every allocation will "
			     "fail");
		return 0;
	}
	mica_alloc_set_default(a);
	mica_pr_debug("heap: %s allocator, %zu KiB", a->name,
		      mica_alloc_total(a) >> 10);
	return 0;
}
MICA_INIT_MEMORY(heap_init, 0);
