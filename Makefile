# SPDX-License-Identifier: BSD-3-Clause
#
# Mica's one entry point.
#
# From the repository root:   make run | make test | make bench | make help
# From an app directory, whose Makefile sets MICA_ROOT and includes this
# file: make menuconfig | defconfig C=... | make | make run | make size ...
#
# The machinery lives in support/build/: top.mk (repository targets) and
# app.mk (configuring and building one app).

MICA_ROOT := $(patsubst %/,%,$(dir $(realpath $(lastword $(MAKEFILE_LIST)))))
APP_DIR ?= $(realpath $(CURDIR))

ifeq ($(realpath $(APP_DIR)),$(MICA_ROOT))
include $(MICA_ROOT)/support/build/top.mk
else
include $(MICA_ROOT)/support/build/app.mk
endif
