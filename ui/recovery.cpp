#include "ui/recovery.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <algorithm>

#include "app/files/experiment_file.h"

namespace attent::ui {

namespace {
QString lockPathOf(const QString& autosave) {
  return autosave.left(autosave.size() - QStringLiteral(".attent").size()) + QStringLiteral(".lock");
}
}  // namespace

QString recoveryDirectory() {
  const QString overridden = qEnvironmentVariable("ATTENT_RECOVERY_DIR");
  if (!overridden.isEmpty()) return overridden;
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("recovery");
}

int autosaveIntervalMs() {
  bool ok = false;
  const double seconds = qEnvironmentVariable("ATTENT_AUTOSAVE_SECONDS").toDouble(&ok);
  return ok && seconds > 0 ? std::max(1, int(seconds * 1000)) : 3 * 60 * 1000;
}

RecoverySession::RecoverySession() {
  const QDir dir(recoveryDirectory());
  if (!QDir().mkpath(dir.path())) return;
  const QString path =
      dir.filePath(QStringLiteral("autosave-%1.attent").arg(QCoreApplication::applicationPid()));
  lock_ = std::make_unique<QLockFile>(lockPathOf(path));
  lock_->setStaleLockTime(0);
  if (!lock_->tryLock(0)) {
    lock_.reset();
    return;
  }
  path_ = path;
}

RecoverySession::~RecoverySession() {
  if (!path_.isEmpty()) QFile::remove(path_);
  if (lock_) lock_->unlock();  // removes the lock file
}

QStringList RecoverySession::abandoned() {
  const QDir dir(recoveryDirectory());
  // Locks of sessions that died before they autosaved anything: nothing to offer, they go.
  for (const QFileInfo& f : dir.entryInfoList({"autosave-*.lock"}, QDir::Files)) {
    const QString attent = f.absoluteFilePath().chopped(5) + QStringLiteral(".attent");
    QLockFile lock(f.absoluteFilePath());
    lock.setStaleLockTime(0);
    if (!QFileInfo::exists(attent) && lock.tryLock(0)) lock.unlock();
  }
  const QFileInfoList files = dir.entryInfoList({"autosave-*.attent"}, QDir::Files, QDir::Time);
  QStringList out;
  for (const QFileInfo& f : files) {
    // A lock we can take belongs to no running window (a dead process's lock is stale).
    QLockFile lock(lockPathOf(f.absoluteFilePath()));
    lock.setStaleLockTime(0);  // a long-running window's lock is never stale by its age
    if (!lock.tryLock(0)) continue;
    lock.unlock();
    out << f.absoluteFilePath();
  }
  return out;
}

void RecoverySession::discard(const QString& path) {
  QFile::remove(path);
  QFile::remove(lockPathOf(path));
}

bool askToRestore(QWidget* parent, const QString& path) {
  const QString answer = qEnvironmentVariable("ATTENT_RECOVERY").trimmed().toLower();
  if (answer == "restore") return true;
  if (answer == "discard") return false;
  QString what = QFileInfo(path).fileName();
  try {
    const app::ExperimentFileInfo info = app::readExperimentInfo(path);
    const QDateTime saved = QDateTime::fromString(info.savedAt, Qt::ISODate).toLocalTime();
    what = QObject::tr("%1 at step %2 of %3, autosaved %4")
               .arg(QString::fromStdString(info.source.preset))
               .arg(info.step)
               .arg(info.totalSteps)
               .arg(QLocale().toString(saved, QLocale::ShortFormat));
  } catch (const std::exception&) {  // unreadable: opening it will say why
  }
  QMessageBox box(QMessageBox::Question, QObject::tr("Restore the experiment?"),
                  QObject::tr("AtteNT Studio did not close normally last time. Its experiment was "
                              "autosaved: %1.")
                      .arg(what),
                  QMessageBox::NoButton, parent);
  box.setInformativeText(QObject::tr("Restore it to go on training from there, or discard it."));
  QPushButton* restore = box.addButton(QObject::tr("Restore"), QMessageBox::AcceptRole);
  box.addButton(QObject::tr("Discard"), QMessageBox::DestructiveRole);
  box.setDefaultButton(restore);
  box.exec();
  return box.clickedButton() == restore;
}

}  // namespace attent::ui
