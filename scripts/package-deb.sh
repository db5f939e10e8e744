#!/usr/bin/env bash
# Builds the vxswitch .deb: the shaded jar, a Java runtime cut to the jar's modules with jlink (the host needs no
# JDK), the systemd unit, the default config and the maintainer scripts; plain dpkg-deb, no debhelper.
#
#   scripts/package-deb.sh [--jar PATH] [--out DIR] [--xz-level N]
#
#   --jar PATH      package this vxswitch.jar instead of building one (CI passes the jar ./run-tests just built)
#   --out DIR       where the .deb goes (default: dist/); the path of the .deb is the last line printed
#   --xz-level N    0-9, default 6 (32 MiB); 1 is several times faster for 10% more (what CI uses)
#
# Layout (docs/install.md): /usr/lib/vxswitch/{runtime,vxswitch.jar}, /usr/bin/vxswitch, /lib/systemd/system/
# vxswitch.service, /etc/vxswitch/vxswitch.yaml (a conffile), /usr/share/doc/vxswitch/ (README, docs/*.md).
# Version: the pom's, "-SNAPSHOT" becoming "~SNAPSHOT+git<commit time>.<commit>" so that snapshots sort by commit
# and below the release. Needs a JDK 25 (for jlink and jdeps), dpkg-deb and, without --jar, Maven.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"

jar=""
out="$root/dist"
xz_level=6
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=${2:?--jar needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --xz-level) xz_level=${2:?--xz-level needs 0-9}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "package-deb.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$xz_level" in
  [0-9]) ;;
  *) echo "package-deb.sh: --xz-level is 0 to 9, not '$xz_level'" >&2; exit 2 ;;
esac
for tool in dpkg-deb objdump; do
  command -v "$tool" >/dev/null || { echo "package-deb.sh: '$tool' is missing (apt-get install dpkg binutils)" >&2; exit 1; }
done
for tool in jlink jdeps jar; do
  [ -x "$JAVA_HOME/bin/$tool" ] || { echo "package-deb.sh: $JAVA_HOME has no $tool: a full JDK 25 is needed" >&2; exit 1; }
done

# The project's version: the parent pom's own <version>, the line after its artifactId.
pom_version=$(sed -n '/<artifactId>vxswitch-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$root/pom.xml")
[ -n "$pom_version" ] || { echo "package-deb.sh: no <version> after vxswitch-parent in $root/pom.xml" >&2; exit 1; }

if [ -z "$jar" ]; then
  command -v mvn >/dev/null || { echo "package-deb.sh: Maven (mvn) is needed to build the jar, or give --jar PATH" >&2; exit 1; }
  echo "== building the jar (mvn package, tests skipped)" >&2
  # package, never install: ~/.m2 stays as it was
  (cd "$root" && mvn -B -q -DskipTests -pl vxswitch-app -am package) >&2
  jar="$root/vxswitch-app/target/vxswitch.jar"
fi
[ -f "$jar" ] || { echo "package-deb.sh: no jar at $jar" >&2; exit 1; }
jar=$(readlink -f "$jar")
# The jar must be the pom's version: a stale jar from another checkout would get the wrong package version.
props=$(mktemp -d)
(cd "$props" && "$JAVA_HOME/bin/jar" --extract --file "$jar" META-INF/maven/io.vxswitch/vxswitch-app/pom.properties 2>/dev/null) \
  || { echo "package-deb.sh: cannot read $jar as a jar" >&2; exit 1; }
jar_version=$(sed -n 's/^version=//p' "$props/META-INF/maven/io.vxswitch/vxswitch-app/pom.properties" 2>/dev/null | tr -d '\r')
rm -rf "$props"
if [ "$jar_version" != "$pom_version" ]; then
  echo "package-deb.sh: $jar is version '${jar_version:-unknown}', the pom says $pom_version: rebuild it" >&2
  exit 1
fi

version=$pom_version
if [ "${version%-SNAPSHOT}" != "$version" ]; then
  if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    stamp=$(git -C "$root" log -1 --format=%cd --date=format:%Y%m%d%H%M%S)
    version="${version%-SNAPSHOT}~SNAPSHOT+git$stamp.$(git -C "$root" rev-parse --short HEAD)"
  else
    version="${version%-SNAPSHOT}~SNAPSHOT"
  fi
fi
arch=$(dpkg --print-architecture)

work=$(mktemp -d /tmp/vxswitch-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
pkg="$work/pkg"
mkdir -p "$pkg/DEBIAN" "$pkg/usr/lib/vxswitch" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/etc/vxswitch" \
  "$pkg/usr/share/doc/vxswitch/docs"

# The runtime: the modules jdeps finds in the jar, plus jdk.unsupported (sun.misc.Unsafe, which libraries reach by
# reflection, invisible to jdeps). No debug information (Java and native; libjvm keeps its symbol table, for crash
# reports), man pages or headers. The module image is left uncompressed: the .deb's xz shrinks it far better than
# jlink's zip (a 32 MiB package against 45 MiB), and classes load without inflating.
echo "== jlink: a Java runtime for the jar" >&2
modules=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar")
case ",$modules," in *,jdk.unsupported,*) ;; *) modules="$modules,jdk.unsupported" ;; esac
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --output "$pkg/usr/lib/vxswitch/runtime"
install -m 0644 "$jar" "$pkg/usr/lib/vxswitch/vxswitch.jar"

cat >"$pkg/usr/bin/vxswitch" <<'SH'
#!/bin/sh
# vxswitch, as its .deb installs it: the jar on the Java runtime packaged with it (jlink), so the host needs no JDK.
# exec: the JVM takes this process's place, so that under systemd it is the unit's main process, the one process
# allowed to say READY=1 (Type=notify). JVM options go in JDK_JAVA_OPTIONS (e.g. a drop-in's Environment= line).
exec /usr/lib/vxswitch/runtime/bin/java --enable-native-access=ALL-UNNAMED -jar /usr/lib/vxswitch/vxswitch.jar "$@"
SH
chmod 0755 "$pkg/usr/bin/vxswitch"
install -m 0644 "$root/packaging/vxswitch.service" "$pkg/lib/systemd/system/vxswitch.service"
install -m 0644 "$root/packaging/vxswitch.yaml" "$pkg/etc/vxswitch/vxswitch.yaml"
install -m 0644 "$root/README.md" "$pkg/usr/share/doc/vxswitch/README.md"
install -m 0644 "$root"/docs/*.md "$pkg/usr/share/doc/vxswitch/docs/"
for script in postinst prerm postrm; do
  install -m 0755 "$root/packaging/debian/$script" "$pkg/DEBIAN/$script"
done
echo /etc/vxswitch/vxswitch.yaml >"$pkg/DEBIAN/conffiles"

# Depends: what the runtime's native code links to. Only glibc (zlib and the rest are bundled); the newest glibc
# symbol version it asks for is the lower bound. (java.desktop's AWT libraries link to X11, but a headless switch
# never loads them.)
glibc=$(find "$pkg/usr/lib/vxswitch/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
installed_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat >"$pkg/DEBIAN/control" <<EOF
Package: vxswitch
Version: $version
Architecture: $arch
Maintainer: vxswitch developers <vxswitch@localhost>
Installed-Size: $installed_kb
Depends: libc6 (>= $glibc)
Section: net
Priority: optional
Description: distributed virtual layer-2 switch (VDS port groups, MAC learning, VXLAN)
 vxswitch switches VMs' and namespaces' frames between vhost-user ports, TAP
 devices, host interfaces and VXLAN tunnels, with the port groups, security
 policy and MAC learning of a VMware distributed switch, and BGP EVPN.
 .
 Runs as the systemd service vxswitch.service from /etc/vxswitch/vxswitch.yaml.
 Brings its own Java runtime (jlink), so the host needs no JDK.
EOF
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/vxswitch_${version}_${arch}.deb"
# root:root whatever user builds it; xz keeps the download small (the runtime is most of it)
dpkg-deb --root-owner-group -Zxz -z"$xz_level" --build "$pkg" "$deb" >&2
size=$(stat -c %s "$deb")
echo "== $deb: $((size / 1024 / 1024)) MiB ($size bytes), installed $((installed_kb / 1024)) MiB; runtime modules: $modules" >&2
echo "$deb"
