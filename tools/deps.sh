#!/bin/sh
# Make sure the Debian packages a make target needs are installed.
#
#   tools/deps.sh PACKAGE...
#
# Installs the missing ones with apt-get when run as root; otherwise prints
# the exact command to run and fails.  Nothing else is assumed to be on the
# machine beyond gcc, make and git.
set -eu

missing=""
for pkg in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $pkg"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
	exit 0
fi

echo "deps: missing Debian packages:$missing" >&2
echo "deps: run this, then try again:" >&2
echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
