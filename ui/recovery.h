#pragma once
// Autosave and recovery (docs/RELIABILITY.md, "Autosave and recovery"). While the window
// runs it holds a session: a lock file and the recovery file the worker autosaves the
// experiment to (TrainingController::setAutosave). A normal exit removes both; after an
// abnormal one (a crash, the OOM killer, SIGKILL, power) they stay behind, and the next start
// offers to restore the experiment.
//
// Where: $ATTENT_RECOVERY_DIR if set, else QStandardPaths::AppDataLocation/recovery
// (~/.local/share/AtteNT/AtteNT Studio/recovery on Linux). One session per running window:
// autosave-<pid>.attent with autosave-<pid>.lock.
#include <QLockFile>
#include <QString>
#include <QStringList>
#include <memory>

class QWidget;

namespace attent::ui {

QString recoveryDirectory();
// ATTENT_AUTOSAVE_SECONDS (tests), else every three minutes of training.
int autosaveIntervalMs();

class RecoverySession {
 public:
  RecoverySession();   // takes this process's lock
  ~RecoverySession();  // a normal exit: the recovery file and the lock go
  RecoverySession(const RecoverySession&) = delete;
  RecoverySession& operator=(const RecoverySession&) = delete;
  // Where the worker autosaves; empty when the directory cannot be written.
  QString autosavePath() const { return path_; }

  // Recovery files of sessions that did not end normally (their lock is stale: its process is
  // gone), newest first. Never one of a window still running.
  static QStringList abandoned();
  // Removes an abandoned recovery file and its lock (after it was restored or declined).
  static void discard(const QString& path);

 private:
  QString path_;
  std::unique_ptr<QLockFile> lock_;
};

// Whether to restore the abandoned recovery file `path`: ATTENT_RECOVERY=restore or discard
// answers without asking (tests, scripts); otherwise a dialog that says what the file holds.
bool askToRestore(QWidget* parent, const QString& path);

}  // namespace attent::ui
