/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Grant tables against the real Xen, granting to our own domain: a page
 * read back through GNTTABOP_copy by grant reference; a grant mapped by
 * ourselves (GNTTABOP_map_grant_ref) cannot be revoked until unmapped.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <mica/compiler.h>
#include <mica/test.h>
#include <mica/xen/gnttab.h>
#include <mica/xen/hypercall.h>

static char granted[4096] __mica_aligned(4096);
static char copied[4096] __mica_aligned(4096);
/* Where the self-mapping goes: a hole in our memory once unmapped. */
static char mapped[4096] __mica_aligned(4096);

static uint64_t gfn_of(const void *p)
{
	return (uintptr_t)p >> 12;
}

MICA_TEST(xen_gnttab, our_domid)
{
	int id = mica_xen_domid();

	MICA_EXPECT_GE(id, 0);
	MICA_EXPECT_LT(id, DOMID_FIRST_RESERVED);
	if (mica_xen_is_dom0())
		MICA_EXPECT_EQ(id, 0);
	mica_test_log("domid %d", id);
}

MICA_TEST(xen_gnttab, copy_by_reference_then_revoke)
{
	struct gnttab_copy op;
	int id, ref, rc;
	unsigned int i;

	MICA_REQUIRE_EQ(mica_xen_gnttab_init(), 0);
	id = mica_xen_domid();
	MICA_REQUIRE_TRUE(id >= 0);
	for (i = 0; i < sizeof(granted); i++)
		granted[i] = (char)(i * 7 + 3);
	memset(copied, 0, sizeof(copied));
	ref = mica_xen_gnttab_grant_access((domid_t)id, gfn_of(granted), 1);
	MICA_REQUIRE_TRUE(ref >= GNTTAB_NR_RESERVED_ENTRIES);

	memset(&op, 0, sizeof(op));
	op.source.u.ref = (grant_ref_t)ref;
	op.source.domid = (domid_t)id;
	op.dest.u.gmfn = gfn_of(copied);
	op.dest.domid = DOMID_SELF;
	op.len = sizeof(copied);
	op.flags = GNTCOPY_source_gref;
	rc = mica_xen_grant_table_op(GNTTABOP_copy, &op, 1);
	MICA_EXPECT_EQ(rc, 0);
	MICA_EXPECT_EQ(op.status, GNTST_okay);
	MICA_EXPECT_MEMEQ(copied, granted, sizeof(granted));

	MICA_EXPECT_EQ(mica_xen_gnttab_end_access((grant_ref_t)ref), 0);
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access((grant_ref_t)ref), -EINVAL);
	/* Revoked: the copy is refused now. */
	op.status = 0;
	rc = mica_xen_grant_table_op(GNTTABOP_copy, &op, 1);
	MICA_EXPECT_TRUE(rc < 0 || op.status != GNTST_okay);
}

MICA_TEST(xen_gnttab, revoke_refused_while_mapped)
{
	struct gnttab_map_grant_ref map;
	struct gnttab_unmap_grant_ref unmap;
	int id, ref, rc;

	id = mica_xen_domid();
	MICA_REQUIRE_TRUE(id >= 0);
	memset(granted, 0x5a, sizeof(granted));
	ref = mica_xen_gnttab_grant_access((domid_t)id, gfn_of(granted), 0);
	MICA_REQUIRE_TRUE(ref >= 0);

	memset(&map, 0, sizeof(map));
	map.host_addr = (uintptr_t)mapped;
	map.flags = GNTMAP_host_map;
	map.ref = (grant_ref_t)ref;
	map.dom = (domid_t)id;
	rc = mica_xen_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
	mica_test_log("self-map: rc %d status %d", rc, map.status);
	if (rc == 0 && map.status == GNTST_okay) {
		MICA_EXPECT_EQ(*(volatile char *)mapped, 0x5a);
		MICA_EXPECT_EQ(mica_xen_gnttab_end_access((grant_ref_t)ref),
			       -EBUSY);
		memset(&unmap, 0, sizeof(unmap));
		unmap.host_addr = map.host_addr;
		unmap.handle = map.handle;
		rc = mica_xen_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap,
					     1);
		MICA_EXPECT_EQ(rc, 0);
		MICA_EXPECT_EQ(unmap.status, GNTST_okay);
	}
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access((grant_ref_t)ref), 0);
}

MICA_TEST(xen_gnttab, bad_references_refused)
{
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access(0), -EINVAL);
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access(GNTTAB_NR_RESERVED_ENTRIES),
		       -EINVAL);
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access(0xffffffffu), -EINVAL);
	MICA_EXPECT_EQ(mica_xen_gnttab_grant_access(0, 1ULL << 40, 0), -ERANGE);
	MICA_EXPECT_EQ(mica_xen_gnttab_grant_access(DOMID_SELF, 1, 0), -EINVAL);
}

MICA_TEST(xen_gnttab, revoke_twice_refused)
{
	int id = mica_xen_domid();
	int ref;

	MICA_REQUIRE_TRUE(id >= 0);
	ref = mica_xen_gnttab_grant_access((domid_t)id, gfn_of(granted), 1);
	MICA_REQUIRE_TRUE(ref >= 0);
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access((grant_ref_t)ref), 0);
	MICA_EXPECT_EQ(mica_xen_gnttab_end_access((grant_ref_t)ref), -EINVAL);
	/* Freed once: the next two grants get two different references. */
	{
		int a = mica_xen_gnttab_grant_access((domid_t)id,
						     gfn_of(granted), 1);
		int b = mica_xen_gnttab_grant_access((domid_t)id,
						     gfn_of(granted), 1);

		MICA_EXPECT_GE(a, 0);
		MICA_EXPECT_GE(b, 0);
		MICA_EXPECT_NE(a, b);
		mica_xen_gnttab_end_access((grant_ref_t)a);
		mica_xen_gnttab_end_access((grant_ref_t)b);
	}
}
