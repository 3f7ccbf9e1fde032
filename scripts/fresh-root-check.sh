#!/usr/bin/env bash
# Proves the README's quick start on a machine where nothing is installed: builds a bare
# Debian 12 root (debootstrap --variant=minbase), copies in a clean export of this tree and
# runs the README's test command inside it with chroot, ending with CTest's summary.
#   bash scripts/fresh-root-check.sh            export = the tracked files as they are now
#   bash scripts/fresh-root-check.sh --head     export = `git archive HEAD` (what is committed)
# Environment: ATTENT_FRESH_ROOT_DIR (parent folder of the root, default /var/tmp),
# ATTENT_FRESH_KEEP=1 (keep the root afterwards, for a look inside).
# Exit status: 0 passed; 1 the quick start failed inside the root; 3 the check cannot run here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export_mode="worktree"
[ "${1:-}" = "--head" ] && export_mode="head"
suite=bookworm

cannot_run() {
  echo "fresh-root-check: CANNOT RUN: $*" >&2
  echo "fresh-root-check: the quick start was NOT checked on a clean root." >&2
  exit 3
}

# The Debian mirror this machine itself uses: deb822 .sources files first, then sources.list.
read_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri="$(awk -v s="$suite" '
      /^[[:space:]]*$/ { if (ok && u != "") { print u; exit } ok = 0; u = "" ; next }
      tolower($1) == "uris:" { u = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == s) ok = 1 }
      END { if (ok && u != "") print u }' "$f" | head -n1)"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(awk -v s="$suite" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == s) { print $i; exit } }' "$f")"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
}

[ "$(id -u)" -eq 0 ] || cannot_run "needs root (debootstrap and chroot); run it as root."
if ! command -v debootstrap >/dev/null; then
  echo "fresh-root-check: installing debootstrap"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } ||
    cannot_run "debootstrap is not installed and apt-get could not install it."
fi
mirror="$(read_mirror)"
[ -n "$mirror" ] || cannot_run "no '$suite' mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/."
mirror="${mirror%/}"
if command -v curl >/dev/null; then
  curl -fsS --max-time 30 -o /dev/null "$mirror/dists/$suite/Release" ||
    cannot_run "no network to the package mirror $mirror (fetching dists/$suite/Release failed)."
fi

parent="${ATTENT_FRESH_ROOT_DIR:-/var/tmp}"
root="$(mktemp -d "$parent/attent-fresh-root.XXXXXX")"
mounts=()

cleanup() {
  local status=$? i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[$i]}" 2>/dev/null || umount -l -R "${mounts[$i]}" 2>/dev/null || true
  done
  # Never delete through a mount that is still there (it could be the host's /dev).
  if grep -q " $root" /proc/mounts; then
    echo "fresh-root-check: $root still has mounts; left in place, remove it by hand." >&2
  elif [ "${ATTENT_FRESH_KEEP:-0}" = 1 ]; then
    echo "fresh-root-check: kept $root"
  else
    rm -rf --one-file-system "$root"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stamp() { date +%s; }
t0=$(stamp)
echo "fresh-root-check: debootstrap --variant=minbase $suite from $mirror into $root"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  tail -n 20 "$root.debootstrap.log" >&2
  rm -f "$root.debootstrap.log"
  cannot_run "debootstrap failed (log above)."
}
rm -f "$root.debootstrap.log"
t_debootstrap=$(($(stamp) - t0))

cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounts+=("$root/sys")
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && mounts+=("$root/dev")
mount -t tmpfs tmpfs "$root/tmp" && mounts+=("$root/tmp")

mkdir -p "$root/root/attent-studio"
if [ "$export_mode" = head ]; then
  git -C "$here" archive HEAD | tar -x -C "$root/root/attent-studio"
else
  (cd "$here" && git ls-files -z | xargs -0 tar -c --no-recursion -f - 2>/dev/null) |
    tar -x -C "$root/root/attent-studio"
fi
echo "fresh-root-check: copied the tree ($export_mode) after ${t_debootstrap}s of debootstrap"

# The README's test command, verbatim, in a clean environment.
set +e
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 TERM=dumb bash -c 'cd /root/attent-studio && bash scripts/studio.sh test' 2>&1 |
  tee "$root/quickstart.log"
status=${PIPESTATUS[0]}
set -e

total=$(($(stamp) - t0))
phases="$(grep -E '^studio.sh: .* \([0-9]+ s\)$' "$root/quickstart.log" | sed 's/^studio.sh: /  /' || true)"
echo "fresh-root-check: timings: debootstrap ${t_debootstrap} s; inside the root:"
echo "${phases:-  (no phase timings printed)}"
echo "fresh-root-check: total ${total} s"
if [ "$status" -ne 0 ]; then
  echo "fresh-root-check: FAILED: the README's test command exited $status in a clean Debian 12 root." >&2
  exit 1
fi
grep -q "100% tests passed" "$root/quickstart.log" || {
  echo "fresh-root-check: FAILED: CTest's summary did not say 100% tests passed." >&2
  exit 1
}
echo "fresh-root-check: PASSED: the README's test command works on a clean Debian 12 root."
