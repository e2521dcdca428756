# SPDX-License-Identifier: GPL-2.0
#
# Feature probes for pgp_umd_compat.h (see its comment): each greps one of the
# kernel's own headers for the newer form of a declaration and, when found,
# adds a -D to ccflags-y. Included by the Kbuild of umd/ and pgp/. With Debian's
# split headers the declarations are under $(srctree) (the -common package);
# $(objtree) is looked at too for trees built in place.

pgp_umd_header = $(firstword $(wildcard $(srctree)/include/$(1) $(objtree)/include/$(1)))
pgp_umd_probe = $(if $(call pgp_umd_header,$(1)),$(if $(shell grep -Eqs '$(2)' $(call pgp_umd_header,$(1)) && echo y),-D$(3)))

ccflags-y += $(call pgp_umd_probe,linux/fs_struct.h,^[[:space:]]*seqlock_t[[:space:]]+seq;,PGP_UMD_FS_SEQLOCK)
ccflags-y += $(call pgp_umd_probe,crypto/public_key.h,^[[:space:]]*u32[[:space:]]+m_size;,PGP_UMD_SIG_M)
ccflags-y += $(call pgp_umd_probe,linux/base64.h,^enum[[:space:]]+base64_variant,PGP_UMD_BASE64_VARIANT)
