# SPDX-License-Identifier: BSD-3-Clause
#
# Library registration and compilation.
#
# Every arch/plat/driver/lib directory (and each external library from L=,
# and the app) has a Makefile.uk that registers itself and lists sources:
#
#	mica-libs-$(CONFIG_LIB_FOO) += LIB_FOO
#	LIB_FOO_SRCS-y += foo.c
#	LIB_FOO_SRCS-$(CONFIG_LIB_FOO_TEST) += tests/test_foo.c
#	LIB_FOO_INCLUDES-y += include        public headers, for everyone
#	LIB_FOO_CFLAGS-y += -DFOO            private flags
#
# Global additions: MICA_CFLAGS-y, MICA_LDFLAGS-y, and from the selected
# platform mica-lds-y (its linker script) and mica-image-extra-y (files
# made beside $(IMAGE) by rules of its own, e.g. xen's IMAGE.xl).
#
# Each selected library is compiled into build/libs/<name>/ and partially
# linked into one object, build/libs/<name>.o. That keeps per-library
# flags local and lets `make size` attribute every byte of the image.

MICA_UK_FILES := \
	$(sort $(wildcard $(MICA_ROOT)/arch/*/Makefile.uk)) \
	$(sort $(wildcard $(MICA_ROOT)/plat/*/Makefile.uk)) \
	$(sort $(wildcard $(MICA_ROOT)/drivers/*/*/Makefile.uk)) \
	$(sort $(wildcard $(MICA_ROOT)/lib/*/Makefile.uk)) \
	$(addsuffix /Makefile.uk,$(MICA_EXTLIBS))

# The app is a library too, registered as APP (so APP_DIR, the app's
# directory, is also its library directory). Its Makefile.uk is optional:
# without one, every *.c in the app directory is built.
mica-libs-y := APP
# Simple variables, so "+= $(MICA_THIS_DIR)/..." expands at once.
mica-lds-y :=
mica-image-extra-y :=
MICA_CFLAGS-y :=
MICA_LDFLAGS-y :=
APP_SRCS-y := $(if $(wildcard $(APP_DIR)/Makefile.uk),,$(notdir $(wildcard $(APP_DIR)/*.c)))

# Include one Makefile.uk and remember the directory of every library it
# registered, so its sources and includes resolve relative to it.
define mica_include_uk
MICA_THIS_DIR := $(patsubst %/,%,$(dir $(1)))
mica-libs-before := $$(mica-libs-y)
include $(1)
$$(foreach l,$$(filter-out $$(mica-libs-before),$$(mica-libs-y)),\
	$$(eval $$(l)_DIR := $$(MICA_THIS_DIR)))
endef
$(foreach f,$(MICA_UK_FILES),$(eval $(call mica_include_uk,$(f))))
ifneq ($(wildcard $(APP_DIR)/Makefile.uk),)
MICA_THIS_DIR := $(APP_DIR)
include $(APP_DIR)/Makefile.uk
endif

# The app links last.
MICA_LIBS := $(filter-out APP,$(mica-libs-y)) APP

# --- flags ---------------------------------------------------------------

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

MICA_OPT_FLAGS := $(if $(CONFIG_OPTIMIZE_SIZE),-Os,$(if $(CONFIG_OPTIMIZE_DEBUG),-Og,-O2))
MICA_LTO_FLAGS := $(if $(CONFIG_OPTIMIZE_LTO),-flto=auto)

MICA_INCLUDES := -I$(MICA_ROOT)/include -I$(BUILD)/include \
	$(foreach l,$(MICA_LIBS),$(addprefix -I$($(l)_DIR)/,$($(l)_INCLUDES-y)))

# Paths in debug info and __FILE__ are rewritten to fixed names, so an
# image does not depend on where the tree, the app or the build directory
# are (reproducible builds). In gdb: set substitute-path /mica <tree>.
MICA_PREFIX_MAP := -ffile-prefix-map=$(MICA_ROOT)=/mica \
	-ffile-prefix-map=$(APP_DIR)=/app -ffile-prefix-map=$(BUILD)=/build

MICA_BASE_FLAGS := -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-fno-common -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -ffunction-sections -fdata-sections \
	-fno-strict-aliasing -g $(MICA_OPT_FLAGS) $(MICA_LTO_FLAGS) \
	$(MICA_PREFIX_MAP) -include $(BUILD)/include/mica/config.h \
	$(MICA_INCLUDES) $(MICA_CFLAGS-y)

MICA_WARN_FLAGS := -Wall -Wextra -Werror -Wno-unused-parameter

MICA_C_FLAGS := -std=gnu11 $(MICA_BASE_FLAGS) $(MICA_WARN_FLAGS)
MICA_S_FLAGS := -D__ASSEMBLY__ $(MICA_BASE_FLAGS)

# --- per-library rules ---------------------------------------------------

# $(1): library symbol (LIB_FOO), $(2): short name (foo)
define mica_lib_rules
$(1)_OBJS := $$(addprefix $$(BUILD)/libs/$(2)/,$$(addsuffix .o,$$($(1)_SRCS-y)))
# With LTO the objects go straight to the final link: GCC's partial
# links of LTO code (-r) drop symbols and mix poorly with assembly.
$(1)_OBJ := $$(if $$($(1)_OBJS),$$(if $$(CONFIG_OPTIMIZE_LTO),$$($(1)_OBJS),$$(BUILD)/libs/$(2).o))
$(1)_FLAGS := -DMICA_LIBNAME='"$(if $(filter APP,$(1)),$(APP_NAME),$(2))"' \
	-DMICA_LOG_LEVEL=$$(or $$(CONFIG_$(1)_LOG_LEVEL),$$(CONFIG_LOG_LEVEL),3) \
	$$($(1)_CFLAGS-y)

$$(filter %.c.o,$$($(1)_OBJS)): $$(BUILD)/libs/$(2)/%.c.o: $$($(1)_DIR)/%.c
	$$(call mica_echo,CC,$$(call mica_rel,$$<))
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(MICA_C_FLAGS) $$($(1)_FLAGS) -MMD -MP -c $$< -o $$@

$$(filter %.S.o,$$($(1)_OBJS)): $$(BUILD)/libs/$(2)/%.S.o: $$($(1)_DIR)/%.S
	$$(call mica_echo,AS,$$(call mica_rel,$$<))
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(MICA_S_FLAGS) $$($(1)_FLAGS) -MMD -MP -c $$< -o $$@

$$(BUILD)/libs/$(2).o: $$($(1)_OBJS)
	$$(call mica_echo,LD -r,libs/$(2).o)
	$$(Q)$$(CC) -r -nostdlib -o $$@ $$^

-include $$($(1)_OBJS:.o=.d)
endef

$(foreach l,$(MICA_LIBS),$(eval $(call mica_lib_rules,$(l),$(call mica_libname,$(l)))))

MICA_LIB_OBJS := $(foreach l,$(MICA_LIBS),$($(l)_OBJ))
