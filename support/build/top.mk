# SPDX-License-Identifier: BSD-3-Clause
#
# Targets of the repository root. Each first makes sure the host has what
# it needs (scripts/deps, Debian packages only), then hands over to an app
# build or to the test runner.

NPROC := $(shell nproc 2>/dev/null || echo 2)
APP ?= apps/helloworld
PLAT ?= kvm
RUN_BUILD := $(MICA_ROOT)/build/run/$(notdir $(APP))-$(PLAT)

.PHONY: all run test test-xen-domu bench fuzz deps help format clean
all: help

help:
	@echo "make run      build $(APP) for $(PLAT)-x86_64 and boot it"
	@echo "              (APP=apps/<name> PLAT=kvm|xen|linuxu ARGS='...')"
	@echo "make test     run every test tier; ends with 'N passed, N failed'"
	@echo "make test-xen-domu"
	@echo "              only the Xen domU tier (a Linux dom0 and xl in QEMU)"
	@echo "make bench    run the benchmarks in bench/ (figures, not tests)"
	@echo "make fuzz     run the libFuzzer harnesses (FUZZ_TIME=s each)"
	@echo "make format   reformat the C sources with clang-format"
	@echo "make deps     install the Debian packages the build needs"
	@echo "In an app directory: make menuconfig, make, make run, make size"

deps:
	@$(MICA_ROOT)/scripts/deps build

run: deps
	@test -d "$(APP)" || { echo "error: app directory '$(APP)' not found" >&2; exit 1; }
	@test -f "$(APP)/configs/$(PLAT)-x86_64.defconfig" || { \
		echo "error: defconfig '$(APP)/configs/$(PLAT)-x86_64.defconfig' not found" >&2; exit 1; }
	@$(MAKE) --no-print-directory -C $(APP) O=$(RUN_BUILD) \
		defconfig C=configs/$(PLAT)-x86_64.defconfig >/dev/null
	@$(MAKE) --no-print-directory -C $(APP) O=$(RUN_BUILD) -j$(NPROC) run

test:
	@$(MICA_ROOT)/scripts/deps test
	@/usr/bin/python3 $(MICA_ROOT)/tests/run.py -j$(NPROC)

# Part of "make test" too; alone, to work on plat/xen as a domU.
test-xen-domu:
	@$(MICA_ROOT)/scripts/deps test
	@/usr/bin/python3 $(MICA_ROOT)/tests/run.py -j$(NPROC) -k xen-domu/

bench:
	@$(MICA_ROOT)/scripts/deps test
	@$(MICA_ROOT)/bench/run

fuzz:
	@$(MICA_ROOT)/scripts/deps test
	@$(MAKE) --no-print-directory -f $(MICA_ROOT)/tests/fuzz/Makefile run

format:
	@git -C $(MICA_ROOT) ls-files '*.c' '*.h' | (cd $(MICA_ROOT) && xargs clang-format -i)

clean:
	rm -rf $(MICA_ROOT)/build
