# SPDX-License-Identifier: BSD-3-Clause
#
# Toolchain, output style and small helper functions.

CROSS_COMPILE ?=
CC := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm

ifeq ($(V),1)
Q :=
mica_echo :=
else
Q := @
# kbuild-style short line: "  CC      lib/nolibc/string.c"
mica_echo = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif

mica_upper = $(shell echo '$(1)' | tr a-z- A-Z_)
# Library symbol -> short name: LIB_NOLIBC -> nolibc, PLAT_KVM -> plat_kvm
mica_libname = $(patsubst lib_%,%,$(shell echo '$(1)' | tr A-Z a-z))
# Path shown in short build lines.
mica_rel = $(patsubst $(MICA_ROOT)/%,%,$(patsubst $(APP_DIR)/%,$(APP_NAME)/%,$(1)))
