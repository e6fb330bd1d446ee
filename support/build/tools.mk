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

# Case mapping without a shell per call (make runs these for every library).
mica_lower = $(subst Z,z,$(subst Y,y,$(subst X,x,$(subst W,w,$(subst V,v,$(subst U,u,$(subst T,t,$(subst S,s,$(subst R,r,$(subst Q,q,$(subst P,p,$(subst O,o,$(subst N,n,$(subst M,m,$(subst L,l,$(subst K,k,$(subst J,j,$(subst I,i,$(subst H,h,$(subst G,g,$(subst F,f,$(subst E,e,$(subst D,d,$(subst C,c,$(subst B,b,$(subst A,a,$(1)))))))))))))))))))))))))))
mica_upper = $(subst -,_,$(subst z,Z,$(subst y,Y,$(subst x,X,$(subst w,W,$(subst v,V,$(subst u,U,$(subst t,T,$(subst s,S,$(subst r,R,$(subst q,Q,$(subst p,P,$(subst o,O,$(subst n,N,$(subst m,M,$(subst l,L,$(subst k,K,$(subst j,J,$(subst i,I,$(subst h,H,$(subst g,G,$(subst f,F,$(subst e,E,$(subst d,D,$(subst c,C,$(subst b,B,$(subst a,A,$(1))))))))))))))))))))))))))))
# Library symbol -> short name: LIB_NOLIBC -> nolibc, PLAT_KVM -> plat_kvm
mica_libname = $(patsubst lib_%,%,$(call mica_lower,$(1)))
# Path shown in short build lines.
mica_rel = $(patsubst $(MICA_ROOT)/%,%,$(patsubst $(APP_DIR)/%,$(APP_NAME)/%,$(1)))
