#pragma once
// Runs the real attent-studio executable (ATTENT_STUDIO_EXE, set by CMake) with a bounded
// wait: a hang is killed and reported, never waited on forever.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

struct StudioResult {
  int status = -1;
  bool crashed = false;   // killed by a signal (segfault, abort), or a sanitizer report
  bool timedOut = false;  // still running after the bound: a hang
  QString out, err;
};

inline StudioResult runStudio(const QStringList& args, int timeoutMs = 120000,
                              const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.setProgram(QStringLiteral(ATTENT_STUDIO_EXE));
  p.setArguments(args);
  p.setStandardInputFile(QProcess::nullDevice());
  p.start();
  StudioResult r;
  if (!p.waitForStarted(30000)) {
    r.crashed = true;
    r.err = QStringLiteral("could not start ") + QStringLiteral(ATTENT_STUDIO_EXE);
    return r;
  }
  if (!p.waitForFinished(timeoutMs)) {
    r.timedOut = true;
    p.kill();
    p.waitForFinished(10000);
  }
  r.crashed = !r.timedOut && p.exitStatus() == QProcess::CrashExit;
  r.status = p.exitCode();
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  // Under scripts/sanitize.sh a sanitizer report in the child counts as a crash, whatever
  // exit status it chose.
  if (r.err.contains("Sanitizer")) r.crashed = true;
  return r;
}
