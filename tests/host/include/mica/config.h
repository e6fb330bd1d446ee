/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host tests have no Kconfig: they see this empty configuration instead
 * of the build's generated <mica/config.h>. Code under test must not
 * depend on options here; a test that needs one passes -DCONFIG_... in
 * its <name>-cflags.
 */
#ifndef MICA_CONFIG_H
#define MICA_CONFIG_H
#endif /* MICA_CONFIG_H */
