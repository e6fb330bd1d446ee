# SPDX-License-Identifier: BSD-3-Clause
#
# Configure and build one application.
#
#   APP_DIR   the app (default: the directory make runs in)
#   O=dir     build directory (default: $(APP_DIR)/build); with O= the
#             .config lives there too, so one app can have many builds
#   L=d1:d2   extra library directories, each with Kconfig + Makefile.uk
#   C=file    the defconfig for "make defconfig"
#   V=1       print full commands

APP_NAME ?= $(notdir $(APP_DIR))
BUILD := $(if $(O),$(abspath $(O)),$(APP_DIR)/build)
KCONFIG_CONFIG := $(if $(O),$(BUILD)/.config,$(APP_DIR)/.config)
MICA_EXTLIBS := $(foreach d,$(subst :, ,$(L)),$(abspath $(d)))
MICA_DEFCONFIG ?= $(firstword $(wildcard $(APP_DIR)/configs/kvm-x86_64.defconfig $(APP_DIR)/configs/*.defconfig))

include $(MICA_ROOT)/support/build/tools.mk

# --- configuration -------------------------------------------------------

# Targets that work on .config itself and must not trigger a build.
MICA_CONFIG_GOALS := menuconfig defconfig olddefconfig savedefconfig \
		     randconfig allnoconfig clean distclean help

$(shell mkdir -p $(BUILD))
$(foreach d,$(MICA_EXTLIBS),$(if $(wildcard $(d)/Kconfig),,\
	$(error library directory '$(d)' (from L=) has no Kconfig)))
# Kconfig.ext sources the external libraries' Kconfig files; rewritten
# only when L= changes so it does not force a reconfiguration.
MICA_EXTLIBS_KCONFIG := $(BUILD)/Kconfig.ext
$(shell printf '%s\n' $(foreach d,$(MICA_EXTLIBS),'source "$(d)/Kconfig"') '' \
	| cmp -s - $(MICA_EXTLIBS_KCONFIG) \
	|| printf '%s\n' $(foreach d,$(MICA_EXTLIBS),'source "$(d)/Kconfig"') '' \
	> $(MICA_EXTLIBS_KCONFIG))

KCONF := srctree=$(MICA_ROOT) KCONFIG_CONFIG=$(KCONFIG_CONFIG) \
	MICA_BUILD=$(BUILD) MICA_APP_DIR=$(APP_DIR) MICA_APP_NAME=$(APP_NAME) \
	MICA_EXTLIBS_KCONFIG=$(MICA_EXTLIBS_KCONFIG) \
	/usr/bin/python3 $(MICA_ROOT)/support/kconfig/mica-config.py

.PHONY: menuconfig defconfig olddefconfig savedefconfig randconfig \
	allnoconfig clean distclean help all run size

all:

menuconfig:
	$(Q)$(KCONF) menuconfig

defconfig:
	$(Q)test -n "$(C)" || { echo "error: say which file: make defconfig C=configs/<plat>-<arch>.defconfig" >&2; exit 1; }
	$(Q)test -f "$(C)" || { echo "error: defconfig '$(C)' not found" >&2; exit 1; }
	$(Q)$(KCONF) defconfig $(abspath $(C))

olddefconfig:
	$(Q)$(KCONF) olddefconfig

savedefconfig:
	$(Q)$(KCONF) savedefconfig $(abspath $(or $(C),$(APP_DIR)/defconfig))

# make randconfig SEED=n [PLAT=kvm|linuxu] [PIN="SYM=val ..."]
randconfig:
	$(Q)$(KCONF) randconfig $(or $(SEED),$$RANDOM) \
		$(if $(PLAT),PLAT_$(call mica_upper,$(PLAT))=y) $(PIN)

allnoconfig:
	$(Q)$(KCONF) allnoconfig

clean:
	rm -rf $(BUILD)/libs $(BUILD)/$(APP_NAME)_*

distclean:
	rm -rf $(BUILD) $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old

help:
	@echo "make menuconfig | defconfig C=file | olddefconfig | savedefconfig [C=file]"
	@echo "make randconfig [SEED=n] [PLAT=p] | allnoconfig"
	@echo "make [V=1] | run [ARGS='...'] | size | clean | distclean"

ifneq ($(filter-out $(MICA_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)

# No .config yet: start from the app's default defconfig.
$(KCONFIG_CONFIG):
	$(Q)test -n "$(MICA_DEFCONFIG)" || { echo "error: no .config and no defconfig in '$(APP_DIR)/configs'" >&2; exit 1; }
	@echo "  no .config: starting from $(patsubst $(APP_DIR)/%,%,$(MICA_DEFCONFIG))"
	$(Q)$(KCONF) defconfig $(MICA_DEFCONFIG) >/dev/null

# Kconfig files found by globs ("lib/*/Kconfig") are listed here too, so
# adding a library also refreshes the configuration.
$(BUILD)/config.mk: $(KCONFIG_CONFIG) $(wildcard $(MICA_ROOT)/Kconfig \
		$(MICA_ROOT)/*/*/Kconfig $(MICA_ROOT)/drivers/*/*/Kconfig \
		$(APP_DIR)/Kconfig $(addsuffix /Kconfig,$(MICA_EXTLIBS)))
	$(call mica_echo,CONFIG,$(patsubst $(BUILD)/%,%,$@))
	$(Q)$(KCONF) syncconfig

-include $(BUILD)/config.deps
include $(BUILD)/config.mk

# On the first pass config.mk may not exist yet: make generates it, then
# reads everything again.
ifdef CONFIG_PLAT_NAME
# The image; Makefile.uk files may name files beside it.
IMAGE := $(BUILD)/$(APP_NAME)_$(CONFIG_PLAT_NAME)-$(CONFIG_ARCH_NAME)
include $(MICA_ROOT)/support/build/libs.mk
include $(MICA_ROOT)/support/build/link.mk
endif

endif
