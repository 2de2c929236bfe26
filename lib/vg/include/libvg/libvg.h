/* libvg: everything. */
#ifndef LIBVG_LIBVG_H
#define LIBVG_LIBVG_H

#include <libvg/activation.h>
#include <libvg/args.h>
#include <libvg/as.h>
#include <libvg/call.h>
#include <libvg/channel.h>
#include <libvg/cmdline.h>
#include <libvg/console.h>
#include <libvg/elf.h>
#include <libvg/env.h>
#include <libvg/fault.h>
#include <libvg/methods.h>
#include <libvg/msg.h>
#include <libvg/names.h>
#include <libvg/pager.h>
#include <libvg/server.h>
#include <libvg/stdio.h>
#include <libvg/string.h>
#include <libvg/syscall.h>
#include <libvg/vcappage.h>
#include <libvg/virt.h>

#endif /* LIBVG_LIBVG_H */
