# SPDX-License-Identifier: BSD-3-Clause
#
# Final link: every library object, the platform's linker script, dead
# code removed. Writes the image (stripped), IMAGE.dbg (with symbols) and
# IMAGE.map (what `make size` reads), and whatever else the platform adds
# to mica-image-extra-y (xen: IMAGE.xl).

MICA_LDS := $(mica-lds-y)

ifneq ($(words $(MICA_LDS)),1)
$(error the selected platform must name exactly one linker script (mica-lds-y), got '$(MICA_LDS)')
endif

# -u main: with LTO, GCC 12 internalises main (only boot calls it) and
# then loses it ("undefined reference to main"); naming it here keeps it.
MICA_LINK_FLAGS := -nostdlib -static -no-pie $(MICA_OPT_FLAGS) \
	$(MICA_LTO_FLAGS) -Wl,-u,main -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-L,$(MICA_ROOT)/plat/common \
	-Wl,-T,$(MICA_LDS) $(MICA_LDFLAGS-y)

all: $(IMAGE) $(mica-image-extra-y)

$(IMAGE).dbg: $(MICA_LIB_OBJS) $(MICA_LDS) $(wildcard $(MICA_ROOT)/plat/common/*.lds $(MICA_ROOT)/plat/common/*/*.lds)
	$(call mica_echo,LD,$(call mica_rel,$@))
	$(Q)$(CC) $(MICA_LINK_FLAGS) -Wl,-Map,$(IMAGE).map -o $@ \
		$(MICA_LIB_OBJS) -lgcc

$(IMAGE): $(IMAGE).dbg
	$(call mica_echo,STRIP,$(call mica_rel,$@))
	$(Q)$(OBJCOPY) --strip-all $< $@

# make run ARGS='lib.param=value -- app arguments'
run: $(IMAGE)
	$(Q)$(MICA_ROOT)/scripts/mica-run --plat $(CONFIG_PLAT_NAME) \
		$(RUNFLAGS) $(IMAGE) $(ARGS)

size: $(IMAGE)
	$(Q)/usr/bin/python3 $(MICA_ROOT)/scripts/mica-size $(IMAGE)
