#!/usr/bin/env bash
# The Linux guest of QemuGuestIT (issue 16, "VMs on vxswitch"): Debian's own kernel and a busybox initramfs whose
# /init loads the virtio-net driver, configures eth0, pings a peer, sends a blob over TCP and reads it back, prints
# "VMQ ..." lines on the serial console, and powers the VM off.
#
#   scripts/guest-image.sh [CACHE]      as root (apt-get download); prints "kernel PATH" and "initrd PATH"
#
#   CACHE   where the kernel and the initramfs are kept; default $VXSWITCH_GUEST_CACHE, else /var/cache/vxswitch-guest
#
# The kernel is the one Debian's linux-image-amd64 depends on now (apt-cache depends), fetched with apt-get download
# (never installed: nothing goes to /boot or /lib/modules) and unpacked into CACHE/<kernel>/ with only the modules the
# guest needs: virtio_net, virtio_pci and what they depend on (modinfo -F depends, resolved again for every kernel;
# modules.builtin skips those built in). The initramfs holds /bin/busybox (busybox-static), those modules and the
# /init below; it is rebuilt when this script or the module list change (its name has their hash).
# Idempotent: a second run with everything in CACHE downloads nothing and prints the same paths (~1 s; the first run
# ~10 s here: a 70 MB download and its unpacking); what an older kernel or script version left in CACHE is removed.
# If apt-get download fails (lists older than the archive), apt-get update runs once and the download is retried.
# Any failure exits non-zero with a line saying what is missing.
#
# /init reads its settings from the kernel's command line (-append, docs/vms.md has the QEMU side):
#   vmq.ip=10.0.0.5/24   eth0's address          vmq.peer=10.0.0.1   who to ping (and connect to)
#   vmq.count=3          pings                   vmq.tcp=5001        TCP port on the peer; unset: no TCP step
#   vmq.bytes=1048576    bytes sent over TCP (a multiple of 1024); the peer must send the same bytes back, then close
#   vmq.wait=5002        then listen on this TCP port until one connection comes and goes, and ping again
# and prints, among the kernel's own lines:
#   VMQ init after 2.93 s, kernel 6.1.0-57-amd64
#   VMQ eth0 mac 02:00:00:00:00:05 mtu 1500 driver-features 1110...  (virtio feature bits from 0, as sysfs shows them)
#   VMQ eth0 queues rx-0 tx-0        (the queues its driver runs: rx-0 rx-1 tx-0 tx-1 with two pairs)
#   VMQ PING OK 3/3                  (or VMQ PING FAIL 0/3)
#   VMQ TCP OK 1048576 md5 ...       (or VMQ TCP FAIL ...)
#   VMQ WAITING on TCP port 5002, VMQ GOT 'go' on TCP port 5002 after 31.20 s, VMQ PING AGAIN OK 3/3   (with vmq.wait)
#   VMQ eth0 counters rx 116 tx 130
#   VMQ DONE after 6.64 s
# Packages it needs (.ci/run installs them): busybox-static (also its cpio), kmod (modinfo), apt; xz-utils or zstd
# only if the kernel's modules are compressed (Debian 12's are not).
set -euo pipefail
cache=${1:-${VXSWITCH_GUEST_CACHE:-/var/cache/vxswitch-guest}}
export PATH="$PATH:/usr/sbin:/sbin" # modinfo, for a caller whose PATH has no sbin

fail() { echo "guest-image.sh: FAILED: $*" >&2; exit 1; }
for tool in apt-get apt-cache dpkg-deb gzip modinfo sha256sum flock; do
  command -v "$tool" >/dev/null || fail "'$tool' is not installed (apt-get install busybox-static kmod: .ci/run)"
done
busybox=/bin/busybox
[ -x "$busybox" ] || fail "$busybox is missing: apt-get install busybox-static"
if ldd "$busybox" >/dev/null 2>&1; then
  fail "$busybox is dynamically linked (Debian's busybox): the guest has no libc, apt-get install busybox-static"
fi
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # two builds at once share the cache

# The kernel package linux-image-amd64 points at today ("linux-image-6.1.0-57-amd64").
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ && !found {print $2; found = 1}' # no early exit: pipefail
}
pkg=$(kernel_package || true)
updated=0
if [ -z "$pkg" ]; then
  apt-get update -qq || fail "apt-get update failed, and apt knows no linux-image-amd64"
  updated=1
  pkg=$(kernel_package || true)
  [ -n "$pkg" ] || fail "apt-cache depends linux-image-amd64 names no kernel package: are Debian's sources in /etc/apt?"
fi
kver=${pkg#linux-image-}
dir=$cache/$kver

# 1. The kernel and its modules, unpacked once per kernel.
if [ ! -f "$dir/vmlinuz" ]; then
  tmp=$(mktemp -d "$cache/.unpack-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg" >/dev/null 2>"$tmp/apt.err") || {
    [ "$updated" = 1 ] && fail "apt-get download $pkg failed: $(cat "$tmp/apt.err")"
    apt-get update -qq || fail "apt-get download $pkg failed, and so did apt-get update: $(cat "$tmp/apt.err")"
    pkg=$(kernel_package || true)
    [ "${pkg#linux-image-}" = "$kver" ] || { rm -rf "$tmp"; trap - EXIT; exec "$0" "$cache"; } # a newer kernel now
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg" >/dev/null 2>"$tmp/apt.err") \
      || fail "apt-get download $pkg failed after apt-get update: $(cat "$tmp/apt.err")"
  }
  deb=$(ls "$tmp"/*.deb)
  m=lib/modules/$kver
  # modules.order names every module's file; virtio and failover's folders hold the usual dependencies
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards "./boot/vmlinuz-$kver" "./$m/modules.order" \
    "./$m/modules.builtin" "./$m/kernel/drivers/virtio/*" "./$m/kernel/drivers/net/virtio_net.ko*" \
    "./$m/kernel/drivers/net/net_failover.ko*" "./$m/kernel/net/core/failover.ko*" \
    || fail "cannot unpack $deb (boot/vmlinuz-$kver, $m/modules.order, the virtio modules)"
  # Resolve what virtio_net and virtio_pci need, depth first (dependencies first: the load order), fetching any
  # module a newer kernel depends on that the folders above did not hold.
  names() { # a modules.* list as "name path" lines: kernel/x/y-z.ko -> y_z (the package may compress the file)
    awk '{f = $0; sub(/.*\//, "", f); sub(/\.ko.*/, "", f); gsub(/-/, "_", f); print f, $0}' "$tmp/$m/$1"
  }
  file_of() { names modules.order | awk -v n="$1" '$1 == n && !found {print $2; found = 1} END {exit !found}'; }
  is_builtin() { names modules.builtin | awk -v n="$1" '$1 == n {found = 1} END {exit !found}'; }
  load=()
  declare -A seen=()
  resolve() {
    local name=${1//-/_} path file dep
    [ -z "${seen[$name]:-}" ] || return 0
    seen[$name]=1
    if is_builtin "$name"; then return 0; fi
    path=$(file_of "$name") || fail "module $name: not in $pkg's modules.order"
    file=$(ls "$tmp/$m/$path"* 2>/dev/null | head -1 || true)
    if [ -z "$file" ]; then
      dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards "./$m/$path*" \
        || fail "cannot unpack $m/$path from $deb"
      file=$(ls "$tmp/$m/$path"* | head -1)
    fi
    for dep in $(modinfo -F depends "$file" | tr ',' ' '); do resolve "$dep"; done
    load+=("$name:$file")
  }
  resolve virtio_pci
  resolve virtio_net
  mkdir -p "$tmp/out/modules"
  for entry in "${load[@]}"; do
    name=${entry%%:*} file=${entry#*:}
    case "$file" in
      *.ko) cp "$file" "$tmp/out/modules/$name.ko" ;;
      *.ko.xz) xz -dc "$file" >"$tmp/out/modules/$name.ko" || fail "cannot decompress $file (xz-utils)" ;;
      *.ko.zst) zstd -qdc "$file" >"$tmp/out/modules/$name.ko" || fail "cannot decompress $file (zstd)" ;;
      *.ko.gz) gzip -dc "$file" >"$tmp/out/modules/$name.ko" ;;
      *) fail "module file $file: unknown compression" ;;
    esac
    echo "$name" >>"$tmp/out/modules/load"
  done
  touch "$tmp/out/modules/load" # every module built in: nothing to load
  cp "$tmp/boot/vmlinuz-$kver" "$tmp/out/vmlinuz"
  rm -rf "$dir"
  mv "$tmp/out" "$dir"
  rm -rf "$tmp"
  trap - EXIT
fi

# 2. The initramfs: busybox, the modules, /init.
init=$(cat <<'EOF'
#!/bin/busybox sh
# /init of vxswitch's test guest (scripts/guest-image.sh): settings from vmq.* on the kernel's command line.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
say() { echo "VMQ $*"; }
up() { cut -d' ' -f1 /proc/uptime; }
arg() { for w in $(cat /proc/cmdline); do case "$w" in "vmq.$1="*) echo "${w#*=}"; return;; esac; done; echo "$2"; }
bye() { say "DONE after $(up) s"; sleep 1; poweroff -f; }
cidr=$(arg ip 10.0.0.5/24); peer=$(arg peer 10.0.0.1); count=$(arg count 3)
tcp=$(arg tcp ""); bytes=$(arg bytes 1048576); wait=$(arg wait "")
echo # the firmware leaves the cursor mid-line: the VMQ lines start their own
say "init after $(up) s, kernel $(uname -r)"
while read -r m; do insmod "/lib/modules/$m.ko" || say "insmod $m failed"; done </lib/modules/load
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
if [ ! -e /sys/class/net/eth0 ]; then say "no eth0 after 10 s: $(ls /sys/class/net)"; say "PING FAIL 0/$count"; bye; fi
ip link set lo up
ip addr add "$cidr" dev eth0
ip link set eth0 up
eth=/sys/class/net/eth0
say "eth0 mac $(cat $eth/address) mtu $(cat $eth/mtu) driver-features $(cat $eth/device/features)"
say "eth0 queues $(ls $eth/queues | tr '\n' ' ')"
pings() { # "VMQ PING[ AGAIN] OK 3/3" or FAIL
  out=$(ping -c "$count" -W 5 "$peer" 2>&1)
  echo "$out"
  got=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
  if [ "${got:-0}" = "$count" ]; then say "PING$1 OK $got/$count"; else say "PING$1 FAIL ${got:-0}/$count"; fi
}
pings ""
if [ -n "$tcp" ]; then
  dd if=/dev/urandom of=/tmp/blob bs=1024 count=$((bytes / 1024)) 2>/dev/null
  sent=$(md5sum </tmp/blob | cut -d' ' -f1)
  timeout 60 nc -w 10 "$peer" "$tcp" </tmp/blob >/tmp/back
  back=$(md5sum </tmp/back | cut -d' ' -f1)
  if [ "$sent" = "$back" ]; then say "TCP OK $bytes md5 $sent"
  else say "TCP FAIL sent $bytes md5 $sent, got back $(wc -c </tmp/back) md5 $back"; fi
fi
if [ -n "$wait" ]; then # the test does something to the switch meanwhile, then tells the guest over TCP
  say "WAITING on TCP port $wait"
  timeout 180 nc -l -p "$wait" </dev/null >/tmp/go
  say "GOT '$(cat /tmp/go)' on TCP port $wait after $(up) s"
  pings " AGAIN"
fi
say "eth0 counters rx $(cat $eth/statistics/rx_packets) tx $(cat $eth/statistics/tx_packets)"
bye
EOF
)
hash=$( { cat "$0"; cat "$dir/modules/load"; } | sha256sum | cut -c1-12) # this script (its /init) and the modules
initrd=$dir/initrd-$hash.gz
if [ ! -f "$initrd" ]; then
  root=$(mktemp -d "$cache/.initrd-XXXXXX")
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/lib/modules"
  mknod -m 600 "$root/dev/console" c 5 1 # the kernel opens it for /init before devtmpfs is mounted
  cp "$busybox" "$root/bin/busybox"
  cp "$dir/modules/"* "$root/lib/modules/"
  echo "$init" >"$root/init"
  chmod 755 "$root/init"
  (cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc -R 0:0 2>/dev/null | gzip -1) >"$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$root"
  trap - EXIT
fi
# What an older kernel or an older version of this script left: one guest is kept
for old in "$dir"/initrd-*.gz; do [ "$old" = "$initrd" ] || rm -f "$old"; done
for old in "$cache"/*/vmlinuz; do [ "$old" = "$dir/vmlinuz" ] || rm -rf "$(dirname "$old")"; done
echo "kernel $dir/vmlinuz"
echo "initrd $initrd"
