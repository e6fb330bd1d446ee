/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A trivial PVH domU: the known-good guest of the Xen domU test tier
 * (tests/lib/micatest/tier_xen_domu.py, docs/xen-domu.md). It shows that
 * the tier's dom0, xl, xenstored and xenconsoled and the way the tests
 * talk to a domU work, whatever state Mica's own xen platform is in.
 *
 * 32-bit, paging off, no interrupts: it polls the rings and yields the
 * CPU while it waits. In order, on the console ring (which xenconsoled
 * logs) and on Xen's debug port 0xe9 (which "xl dmesg" shows):
 *   trivial-domu: hello
 *   trivial-domu: name=NAME domid=ID          (read from xenstore)
 * writes data/mica-test/trivial = "written by NAME" and watches
 * data/mica-test/ping, says
 *   trivial-domu: waiting for data/mica-test/ping
 * and once dom0 writes it
 *   trivial-domu: watch fired: data/mica-test/ping=VALUE
 * writes data/mica-test/pong = "pong VALUE", says
 *   trivial-domu: done
 * and shuts the domain down (poweroff). Anything unexpected from Xen or
 * xenstored is said in one line, and the domain crashes (SHUTDOWN_crash).
 *
 * Xen's ABI is from its public headers (libxen-dev): hypercalls through
 * the hypercall page with arguments in %ebx, %ecx (xen/arch-x86/
 * xen-x86_32.h), the rings of xen/io/console.h and xen/io/xs_wire.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include <xen/sched.h>

#define HVM_DEBUG_PORT 0xe9
#define WATCH_PATH     "data/mica-test/ping"
#define WATCH_TOKEN    "mica-ping"

/* The entry point (named by the PVH note) and the stack. */
__asm__(".pushsection .note.Xen, \"a\", @note\n"
	".balign 4\n"
	".long 4, 4, 18\n" /* XEN_ELFNOTE_PHYS32_ENTRY */
	".asciz \"Xen\"\n"
	".balign 4\n"
	".long trivial_entry\n"
	".popsection\n"
	".text\n"
	".globl trivial_entry\n"
	"trivial_entry:\n"
	"	cld\n"
	"	movl $stack + 8192, %esp\n"
	"	call trivial_main\n"
	"1:	cli\n"
	"	hlt\n"
	"	jmp 1b\n");

static uint8_t stack[8192] __attribute__((aligned(16), used));
static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static volatile struct xencons_interface *cons;
static uint32_t cons_port;
static volatile struct xenstore_domain_interface *store;
static uint32_t store_port;
static char name[64];

#define barrier() __asm__ volatile("" ::: "memory")

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static long hypercall(unsigned int op, uint32_t a1, void *a2)
{
	uint32_t eax = (uint32_t)(hypercall_page + op * 32);
	uint32_t b = a1, c = (uint32_t)a2, d = 0, s = 0, di = 0;

	__asm__ volatile("call *%%eax"
			 : "+a"(eax), "+b"(b), "+c"(c), "+d"(d), "+S"(s),
			   "+D"(di)
			 :
			 : "memory");
	return (long)eax;
}

static void yield(void)
{
	hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, NULL);
}

static void notify(uint32_t port)
{
	struct evtchn_send send = {.port = port};

	hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &send);
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* dst = a b, cut to fit size. */
static void join(char *dst, size_t size, const char *a, const char *b)
{
	size_t n = 0;

	for (; *a && n + 1 < size; a++)
		dst[n++] = *a;
	for (; *b && n + 1 < size; b++)
		dst[n++] = *b;
	dst[n] = 0;
}

static int sequal(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Text to the debug port and, once it is known, the console ring. */
static void put(const char *s)
{
	for (const char *p = s; *p; p++)
		outb(HVM_DEBUG_PORT, (uint8_t)*p);
	if (!cons)
		return;
	for (const char *p = s; *p; p++) {
		while (cons->out_prod - cons->out_cons >= sizeof(cons->out))
			yield();
		cons->out[MASK_XENCONS_IDX(cons->out_prod, cons->out)] = *p;
		barrier();
		cons->out_prod++;
	}
	notify(cons_port);
}

static void say(const char *a, const char *b, const char *c, const char *d)
{
	put("trivial-domu: ");
	put(a);
	put(b ? b : "");
	put(c ? c : "");
	put(d ? d : "");
	put("\n");
}

static void shutdown(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
	for (;;)
		yield();
}

static void die(const char *what, const char *detail)
{
	say("failed: ", what, detail ? ": " : NULL, detail);
	shutdown(SHUTDOWN_crash);
}

static uint32_t hvm_param(uint32_t index)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};

	if (hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, &p))
		die("HVMOP_get_param", NULL);
	return (uint32_t)p.value;
}

/* Find Xen's CPUID leaves and have Xen fill the hypercall page. */
static void xen_init(void)
{
	uint32_t r[4], base;

	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		cpuid(base, r);
		if (r[1] == 0x566e6558 && r[2] == 0x65584d4d &&
		    r[3] == 0x4d4d566e) /* "XenVMMXenVMM" */
			break;
	}
	if (base >= 0x40010000)
		die("no Xen CPUID leaves", NULL);
	cpuid(base + 2, r);
	__asm__ volatile("wrmsr"
			 :
			 : "c"(r[1]), "a"((uint32_t)hypercall_page), "d"(0)
			 : "memory");
	if (!hypercall_page[0])
		die("Xen did not fill the hypercall page", NULL);
}

/* xenstore: bytes in and out of the rings (xen/io/xs_wire.h). */
static void store_put(const void *data, uint32_t len)
{
	const char *p = data;

	while (len) {
		if (store->req_prod - store->req_cons >= XENSTORE_RING_SIZE) {
			notify(store_port);
			yield();
			continue;
		}
		store->req[MASK_XENSTORE_IDX(store->req_prod)] = *p++;
		barrier();
		store->req_prod++;
		len--;
	}
	notify(store_port);
}

static void store_get(void *data, uint32_t len)
{
	char *p = data;

	while (len) {
		if (store->rsp_prod == store->rsp_cons) {
			yield();
			continue;
		}
		barrier();
		*p++ = store->rsp[MASK_XENSTORE_IDX(store->rsp_cons)];
		barrier();
		store->rsp_cons++;
		len--;
	}
	notify(store_port);
}

static int watch_fired;

/*
 * One request, its reply in buf (NUL-terminated). Watch events met on
 * the way are counted. Returns the reply's type (XS_ERROR for errors).
 */
static uint32_t store_request(uint32_t type, const char *a, const char *b,
			      int b_nul, char *buf, uint32_t size)
{
	static uint32_t req_id;
	struct xsd_sockmsg m = {.type = type, .req_id = ++req_id};
	uint32_t alen = (uint32_t)slen(a) + 1;
	uint32_t blen = b ? (uint32_t)slen(b) + (b_nul ? 1 : 0) : 0;

	m.len = alen + blen;
	store_put(&m, sizeof(m));
	store_put(a, alen);
	if (b)
		store_put(b, blen);
	for (;;) {
		store_get(&m, sizeof(m));
		if (m.len >= size)
			die("xenstore reply too long", NULL);
		store_get(buf, m.len);
		buf[m.len] = 0;
		if (m.type == XS_WATCH_EVENT) {
			watch_fired++;
			continue;
		}
		if (m.req_id != req_id)
			die("xenstore reply to another request", NULL);
		return m.type;
	}
}

static int store_read(const char *path, char *buf, uint32_t size)
{
	return store_request(XS_READ, path, NULL, 0, buf, size) == XS_READ;
}

static void store_write(const char *path, const char *value)
{
	char buf[64];

	if (store_request(XS_WRITE, path, value, 0, buf, sizeof(buf)) !=
	    XS_WRITE)
		die("XS_WRITE ", path);
}

void trivial_main(void)
{
	static char buf[256], domid[16], text[128];
	int seen;

	xen_init();
	cons = (void *)(hvm_param(HVM_PARAM_CONSOLE_PFN) << 12);
	cons_port = hvm_param(HVM_PARAM_CONSOLE_EVTCHN);
	store = (void *)(hvm_param(HVM_PARAM_STORE_PFN) << 12);
	store_port = hvm_param(HVM_PARAM_STORE_EVTCHN);
	say("hello", NULL, NULL, NULL);

	if (!store_read("name", name, sizeof(name)))
		die("XS_READ name", name);
	if (!store_read("domid", domid, sizeof(domid)))
		die("XS_READ domid", domid);
	say("name=", name, " domid=", domid);

	join(text, sizeof(text), "written by ", name);
	store_write("data/mica-test/trivial", text);

	if (store_request(XS_WATCH, WATCH_PATH, WATCH_TOKEN, 1, buf,
			  sizeof(buf)) != XS_WATCH)
		die("XS_WATCH", buf);
	say("waiting for ", WATCH_PATH, NULL, NULL);
	/*
	 * xenstored fires a new watch once at once; after that, wait for
	 * events until the path exists (its value then came from dom0).
	 */
	for (seen = 0;;) {
		while (watch_fired == seen) {
			if (store->rsp_prod != store->rsp_cons) {
				struct xsd_sockmsg m;

				store_get(&m, sizeof(m));
				if (m.len >= sizeof(buf))
					die("xenstore message too long", NULL);
				store_get(buf, m.len);
				if (m.type == XS_WATCH_EVENT)
					watch_fired++;
			} else {
				yield();
			}
		}
		seen = watch_fired;
		if (store_read(WATCH_PATH, buf, sizeof(buf)))
			break;
		if (!sequal(buf, "ENOENT"))
			die("XS_READ " WATCH_PATH, buf);
	}
	say("watch fired: " WATCH_PATH "=", buf, NULL, NULL);
	join(text, sizeof(text), "pong ", buf);
	store_write("data/mica-test/pong", text);
	say("done", NULL, NULL, NULL);
	shutdown(SHUTDOWN_poweroff);
}
