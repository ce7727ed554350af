#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`meson install` into a scratch DESTDIR, as an admin's build host would do it.

--part files: exactly the expected files, each installed directory as the meson option, else
  the .pc file, else the fallback below the prefix gives it (also on a host without systemd.pc,
  udev.pc and bash-completion.pc, from configurations made in scratch build directories);
  the installed copies are those of the source tree.
--part unit: the installed user unit passes `systemd-analyze verify --user` without a word on
  stderr and `systemd-analyze security --user --offline=true` at an exposure of at most 2.0.
  Without systemd-analyze: a visible TAP skip, or a failure when CI=true.
"""
import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Debian 12's .pc files, as far as meson reads them (systemd 252, bash-completion 2.11):
# systemd's and bash-completion's directories hang off their own prefix, udev's does not.
DEBIAN_PC = {
    'systemd.pc': """prefix=/usr
systemd_user_unit_dir=${prefix}/lib/systemd/user
systemduserunitdir=${systemd_user_unit_dir}

Name: systemd
Description: systemd System and Service Manager
Version: 252
""",
    'udev.pc': """Name: udev
Description: udev
Version: 252

udev_dir=/lib/udev
udevdir=${udev_dir}
""",
    'bash-completion.pc': """prefix=/usr
datadir=/usr/share
sysconfdir=/etc

compatdir=${sysconfdir}/bash_completion.d
completionsdir=${datadir}/bash-completion/completions
helpersdir=${datadir}/bash-completion/helpers

Name: bash-completion
Description: programmable completion for the bash shell
Version: 2.11
""",
}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def plan(self, n):
        print('1..%d' % n, flush=True)

    def result(self, ok, what, details=()):
        self.n += 1
        if not ok:
            self.failed += 1
        print('%s %d %s' % ('ok' if ok else 'not ok', self.n, what))
        for line in details if not ok else ():
            print('# ' + line)
        sys.stdout.flush()


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, **kw)


def expected_files(dirs):
    """Every file `meson install` must install, nothing else, by its absolute path."""
    return {
        os.path.join(dirs['bindir'], 'sitlog'),
        os.path.join(dirs['bindir'], 'sitlogd'),
        # sitlog report --plot's drawing, loaded only for --plot
        os.path.join(dirs['libdir'], 'sitlog', 'sitlog-plot.so'),
        os.path.join(dirs['mandir'], 'man1', 'sitlog.1'),
        os.path.join(dirs['mandir'], 'man1', 'sitlogd.1'),
        os.path.join(dirs['mandir'], 'man5', 'sitlog.conf.5'),
        os.path.join(dirs['datadir'], 'dbus-1', 'interfaces', 'io.sitlog.Sitlog1.xml'),
        os.path.join(dirs['datadir'], 'sitlog', 'exercises.ini'),
        os.path.join(dirs['datadir'], 'sitlog', 'sitlog.conf'),
        os.path.join(dirs['unitdir'], 'sitlogd.service'),
        os.path.join(dirs['unitdir'], 'sitlog-metrics.service'),
        os.path.join(dirs['unitdir'], 'sitlog-metrics.timer'),
        os.path.join(dirs['rulesdir'], '70-sitlog.rules'),
        os.path.join(dirs['completionsdir'], 'sitlog'),
    }


def pc_variable(package, variable, define=None, env=None):
    """A .pc file's variable, or None when the package or the variable is not there."""
    cmd = ['pkg-config']
    if define:
        cmd.append('--define-variable=%s=%s' % define)
    r = run(cmd + ['--variable=' + variable, package], env=env)
    value = r.stdout.strip()
    return value if r.returncode == 0 and value else None


def build_dirs(meson, build):
    """The directories of the configured build, by the rules meson.build states: option, else
    .pc file, else the fallback below the prefix."""
    r = run([meson, 'introspect', '--buildoptions', build])
    if r.returncode != 0:
        raise RuntimeError('meson introspect --buildoptions: ' + r.stderr.strip())
    opt = {o['name']: o['value'] for o in json.loads(r.stdout)}
    prefix = opt['prefix']
    datadir = os.path.join(prefix, opt['datadir'])
    udevdir = pc_variable('udev', 'udevdir')
    return {
        'prefix': prefix,
        'bindir': os.path.join(prefix, opt['bindir']),
        'libdir': os.path.join(prefix, opt['libdir']),
        'datadir': datadir,
        'mandir': os.path.join(prefix, opt['mandir']),
        'unitdir': (opt['systemduserunitdir'] or
                    pc_variable('systemd', 'systemd_user_unit_dir', ('prefix', prefix)) or
                    os.path.join(prefix, 'lib/systemd/user')),
        'rulesdir': (opt['udevrulesdir'] or
                     (udevdir and os.path.join(udevdir, 'rules.d')) or
                     os.path.join(prefix, 'lib/udev/rules.d')),
        'completionsdir': (opt['bashcompletiondir'] or
                           pc_variable('bash-completion', 'completionsdir',
                                       ('datadir', datadir)) or
                           os.path.join(datadir, 'bash-completion/completions')),
    }


def install(meson, build, destdir):
    r = run([meson, 'install', '-C', build, '--destdir', destdir, '--no-rebuild', '--quiet'])
    if r.returncode != 0:
        raise RuntimeError('meson install failed (%d):\n%s%s' % (r.returncode, r.stdout,
                                                                 r.stderr))


def installed_files(destdir):
    found = set()
    for root, dirs, files in os.walk(destdir):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            found.add('/' + os.path.relpath(os.path.join(root, name), destdir))
    return found


def list_diff(want, got):
    lines = ['missing: ' + p for p in sorted(want - got)]
    lines += ['unexpected: ' + p for p in sorted(got - want)]
    return lines


def part_files(args, tap):
    tap.plan(5)
    dirs = build_dirs(args.meson, args.build)
    want = expected_files(dirs)
    with tempfile.TemporaryDirectory(prefix='sitlog-install-') as destdir:
        install(args.meson, args.build, destdir)
        got = installed_files(destdir)
        tap.result(got == want, 'meson install: the %d expected files, no other' % len(want),
                   list_diff(want, got) +
                   ['%s: %s' % (k, v) for k, v in sorted(dirs.items())])

        # The copies are the source's, and the programs can be run.
        src = args.source
        same = {
            os.path.join(dirs['rulesdir'], '70-sitlog.rules'): 'systemd/70-sitlog.rules',
            os.path.join(dirs['unitdir'], 'sitlog-metrics.timer'): 'systemd/sitlog-metrics.timer',
            os.path.join(dirs['datadir'], 'sitlog', 'sitlog.conf'): 'data/sitlog.conf',
            os.path.join(dirs['datadir'], 'sitlog', 'exercises.ini'): 'data/exercises.ini',
            os.path.join(dirs['completionsdir'], 'sitlog'): 'data/bash-completion/sitlog',
            os.path.join(dirs['datadir'], 'dbus-1', 'interfaces', 'io.sitlog.Sitlog1.xml'):
                'data/dbus/io.sitlog.Sitlog1.xml',
            os.path.join(dirs['mandir'], 'man1', 'sitlog.1'): 'man/sitlog.1',
            os.path.join(dirs['mandir'], 'man1', 'sitlogd.1'): 'man/sitlogd.1',
            os.path.join(dirs['mandir'], 'man5', 'sitlog.conf.5'): 'man/sitlog.conf.5',
        }
        bad = []
        for installed, source in sorted(same.items()):
            path = destdir + installed
            if not os.path.isfile(path) or not filecmp.cmp(path, os.path.join(src, source),
                                                           shallow=False):
                bad.append('%s is not %s' % (installed, source))
        for prog in ('sitlog', 'sitlogd'):
            path = destdir + os.path.join(dirs['bindir'], prog)
            if not os.access(path, os.X_OK):
                bad.append('%s is not executable' % path)
        tap.result(not bad, 'the installed copies are the source tree\'s, the programs '
                   'executable', bad)

    part_dirs(args, tap)


def pc_farm(farm):
    """Symbolic links to every .pc file pkg-config sees, but systemd's, udev's and
    bash-completion's: a build host without them."""
    r = run(['pkg-config', '--variable', 'pc_path', 'pkg-config'])
    path = os.environ.get('PKG_CONFIG_PATH', '').split(':') + r.stdout.strip().split(':')
    os.makedirs(farm)
    for d in path:
        if not d or not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            link = os.path.join(farm, name)
            if (name.endswith('.pc') and name not in DEBIAN_PC and
                    not os.path.lexists(link)):
                os.symlink(os.path.join(d, name), link)


def part_dirs(args, tap):
    """The directories meson.build picks, from configurations in scratch build directories
    (configured only: `meson introspect --installed` lists where each file would go)."""
    prefix = '/opt/sitlog'
    fallback = {
        'unitdir': prefix + '/lib/systemd/user',
        'rulesdir': prefix + '/lib/udev/rules.d',
        'completionsdir': prefix + '/share/bash-completion/completions',
    }
    cases = [
        ('no systemd.pc, udev.pc, bash-completion.pc: the fallbacks below the prefix',
         False, [], fallback),
        ('Debian 12\'s .pc files: udev.pc\'s /lib/udev, the others below our prefix',
         True, [], dict(fallback, rulesdir='/lib/udev/rules.d')),
        ('the options override the .pc files',
         True, ['-Dsystemduserunitdir=/etc/systemd/user', '-Dudevrulesdir=/etc/udev/rules.d',
                '-Dbashcompletiondir=/etc/bash_completion.d'],
         {'unitdir': '/etc/systemd/user', 'rulesdir': '/etc/udev/rules.d',
          'completionsdir': '/etc/bash_completion.d'}),
    ]
    with tempfile.TemporaryDirectory(prefix='sitlog-install-dirs-') as tmp:
        farm = os.path.join(tmp, 'pc-without')
        pc_farm(farm)
        fake = os.path.join(tmp, 'pc-debian')
        os.makedirs(fake)
        for name, text in DEBIAN_PC.items():
            with open(os.path.join(fake, name), 'w') as f:
                f.write(text)
        for n, (what, with_pc, options, where) in enumerate(cases):
            env = dict(os.environ, PKG_CONFIG_LIBDIR=farm + (':' + fake if with_pc else ''))
            env.pop('PKG_CONFIG_PATH', None)
            env.pop('PKG_CONFIG_SYSROOT_DIR', None)
            build = os.path.join(tmp, 'build-%d' % n)
            r = run([args.meson, 'setup', build, args.source, '--prefix=' + prefix] + options,
                    env=env)
            if r.returncode != 0:
                tap.result(False, what, ['meson setup failed:'] + r.stdout.splitlines()[-20:] +
                           r.stderr.splitlines()[-20:])
                continue
            r = run([args.meson, 'introspect', '--installed', build], env=env)
            got = set(json.loads(r.stdout).values()) if r.returncode == 0 else set()
            r = run([args.meson, 'introspect', '--buildoptions', build], env=env)
            libdir = {o['name']: o['value'] for o in json.loads(r.stdout)}['libdir'] \
                if r.returncode == 0 else '?'
            want = expected_files(dict(where, bindir=prefix + '/bin',
                                       libdir=os.path.join(prefix, libdir),
                                       datadir=prefix + '/share', mandir=prefix + '/share/man'))
            tap.result(got == want, what, list_diff(want, got))


def part_unit(args, tap):
    analyze = shutil.which('systemd-analyze')
    if not analyze:
        if os.environ.get('CI') == 'true':
            tap.plan(1)
            tap.result(False, 'systemd-analyze not found (CI=true: every tool must be there; '
                       'scripts/deps.sh installs it)')
        else:
            print('1..0 # SKIP systemd-analyze not found (Debian: apt-get install systemd)')
        return
    tap.plan(5)
    dirs = build_dirs(args.meson, args.build)
    unit_path = os.path.join(dirs['unitdir'], 'sitlogd.service')
    sitlogd_path = os.path.join(dirs['bindir'], 'sitlogd')
    with tempfile.TemporaryDirectory(prefix='sitlog-install-unit-') as tmp:
        destdir = os.path.join(tmp, 'destdir')
        install(args.meson, args.build, destdir)
        with open(destdir + unit_path) as f:
            unit = f.read()

        # systemd-analyze wants ExecStart= to name an existing program: the installed one,
        # which is only below DESTDIR here. The rest of the installed unit is checked unchanged.
        exec_start = re.findall(r'^ExecStart=(.*)$', unit, re.MULTILINE)
        ok = exec_start == [sitlogd_path] and os.access(destdir + sitlogd_path, os.X_OK)
        tap.result(ok, 'the installed unit runs the installed sitlogd (ExecStart=%s)' %
                   sitlogd_path, ['ExecStart= lines: %r' % exec_start])
        unit_dir = os.path.join(tmp, 'unit')
        os.makedirs(unit_dir)
        checked = os.path.join(unit_dir, 'sitlogd.service')
        with open(checked, 'w') as f:
            f.write(re.sub(r'^ExecStart=.*$', 'ExecStart=' + destdir + sitlogd_path, unit,
                           flags=re.MULTILINE))

        runtime = os.path.join(tmp, 'runtime')
        os.makedirs(runtime, mode=0o700)
        env = dict(os.environ, XDG_RUNTIME_DIR=runtime)
        r = run([analyze, 'verify', '--user', '--man=no', checked], env=env)
        tap.result(r.returncode == 0 and not r.stderr.strip(),
                   'systemd-analyze verify --user: the installed unit, nothing on stderr',
                   ['rc %d' % r.returncode] + r.stderr.splitlines())

        r = run([analyze, 'security', '--user', '--offline=true', '--threshold=20', checked],
                env=env)
        m = re.search(r'Overall exposure level for sitlogd\.service: ([0-9.]+)', r.stdout)
        score = float(m.group(1)) if m else None
        tap.result(r.returncode == 0 and score is not None and score <= 2.0,
                   'systemd-analyze security --user --offline=true: exposure %s (at most 2.0)'
                   % score, [] if r.returncode == 0 and m else
                   ['rc %d' % r.returncode] + (r.stdout + r.stderr).splitlines()[-30:])

        # The metrics timer and its service, the same way (ExecStart= the installed sitlog).
        sitlog_path = os.path.join(dirs['bindir'], 'sitlog')
        bad = []
        for name in ('sitlog-metrics.service', 'sitlog-metrics.timer'):
            with open(destdir + os.path.join(dirs['unitdir'], name)) as f:
                text = f.read()
            if name.endswith('.service'):
                want = '%s export --format openmetrics --textfile' % sitlog_path
                got = re.findall(r'^ExecStart=(.*)$', text, re.MULTILINE)
                if got != [want]:
                    bad.append('%s: ExecStart= %r, not %r' % (name, got, want))
                text = text.replace('ExecStart=' + sitlog_path, 'ExecStart=' + destdir +
                                    sitlog_path)
            with open(os.path.join(unit_dir, name), 'w') as f:
                f.write(text)
        r = run([analyze, 'verify', '--user', '--man=no',
                 os.path.join(unit_dir, 'sitlog-metrics.timer'),
                 os.path.join(unit_dir, 'sitlog-metrics.service')], env=env)
        tap.result(not bad and r.returncode == 0 and not r.stderr.strip(),
                   'systemd-analyze verify --user: sitlog-metrics.timer and .service run the '
                   'installed sitlog, nothing on stderr',
                   bad + ['rc %d' % r.returncode] + r.stderr.splitlines())
        r = run([analyze, 'security', '--user', '--offline=true', '--threshold=20',
                 os.path.join(unit_dir, 'sitlog-metrics.service')], env=env)
        m = re.search(r'Overall exposure level for sitlog-metrics\.service: ([0-9.]+)', r.stdout)
        score = float(m.group(1)) if m else None
        tap.result(r.returncode == 0 and score is not None and score <= 2.0,
                   'systemd-analyze security --user --offline=true: sitlog-metrics.service '
                   'exposure %s (at most 2.0)' % score, [] if r.returncode == 0 and m else
                   ['rc %d' % r.returncode] + (r.stdout + r.stderr).splitlines()[-30:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--part', choices=('files', 'unit'), required=True)
    ap.add_argument('--build', required=True, help='the configured and built build directory')
    ap.add_argument('--source', required=True, help='the source tree')
    ap.add_argument('--meson', default='meson', help='the meson command')
    args = ap.parse_args()
    tap = Tap()
    try:
        (part_files if args.part == 'files' else part_unit)(args, tap)
    except (RuntimeError, OSError, ValueError, KeyError) as e:
        tap.result(False, 'cannot go on: %s' % e)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
