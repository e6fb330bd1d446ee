# SPDX-License-Identifier: BSD-3-Clause
"""Helpers shared by Mica's benchmarks (bench/*/run).

Modules:
  apt      install Debian packages only when missing; fetch a kernel .deb
  proc     run one command with a timeout and measure wall and CPU time
  stats    median/min/mean of samples
  qemu     the QEMU command line every bench uses, accelerator choice
  hostinfo host facts (TSC frequency, /dev/kvm)
  initramfs  write a newc cpio archive without the cpio tool or root
  report   table + `key: value` block + JSON
"""
