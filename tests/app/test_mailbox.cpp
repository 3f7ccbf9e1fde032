// The Mailbox (app/worker/mailbox.h), the only hand-off between the UI and worker threads:
// every closure runs exactly once, in the order its thread posted it, in the draining
// thread; one wake-up per empty-to-non-empty transition; closures posted while a drain
// runs wait for the next one. Under ThreadSanitizer (scripts/sanitize.sh) it also checks
// that what a closure carries is handed over without a race.
#include <QTest>
#include <atomic>
#include <thread>
#include <vector>

#include "app/worker/mailbox.h"

using attent::app::Mailbox;

class TestMailbox : public QObject {
  Q_OBJECT
 private slots:
  void runsInOrderOnceAndInTheDrainingThread() {
    Mailbox box;
    std::vector<int> seen;
    int wakes = 0;
    for (int i = 0; i < 3; ++i) box.post([&seen, i] { seen.push_back(i); }, [&] { ++wakes; });
    QCOMPARE(wakes, 1);     // one wake-up for the burst
    QVERIFY(seen.empty());  // nothing runs before a drain
    box.drain();
    QCOMPARE(seen, std::vector<int>({0, 1, 2}));
    box.drain();  // an empty drain runs nothing
    QCOMPARE(seen.size(), std::size_t(3));
    box.post([&] { seen.push_back(3); }, [&] { ++wakes; });
    QCOMPARE(wakes, 2);  // empty again: a new wake-up
  }

  void closuresPostedDuringADrainWaitForTheNext() {
    Mailbox box;
    int wakes = 0, ran = 0;
    auto wake = [&] { ++wakes; };
    box.post(
        [&] {
          ++ran;
          box.post([&] { ++ran; }, wake);  // from inside a running closure
        },
        wake);
    box.drain();
    QCOMPARE(ran, 1);
    QCOMPARE(wakes, 2);  // the inner post found the box empty and asked for a drain
    box.drain();
    QCOMPARE(ran, 2);
  }

  // Two posting threads, one draining thread: each poster's closures run in its order,
  // each exactly once, and each carries data written by the poster before it posted.
  void concurrentPostersKeepTheirOrder() {
    constexpr int kPerThread = 20000;
    Mailbox box;
    std::atomic<int> wakes{0};
    std::atomic<bool> done{false};
    std::vector<int> last(2, -1);
    int outOfOrder = 0, ran = 0;
    std::thread drainer([&] {
      while (!done.load()) box.drain();
      box.drain();
    });
    std::vector<std::thread> posters;
    for (int t = 0; t < 2; ++t)
      posters.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          auto payload = std::make_shared<std::vector<int>>(8, i);  // written before the post
          box.post(
              [&, t, i, payload] {
                outOfOrder += last[t] != i - 1 || (*payload)[7] != i;
                last[t] = i;
                ++ran;
              },
              [&] { ++wakes; });
        }
      });
    for (auto& p : posters) p.join();
    done = true;
    drainer.join();
    QCOMPARE(ran, 2 * kPerThread);
    QCOMPARE(outOfOrder, 0);
    QCOMPARE(last, std::vector<int>({kPerThread - 1, kPerThread - 1}));
    QVERIFY(wakes.load() >= 1 && wakes.load() <= 2 * kPerThread);
  }
};

QTEST_APPLESS_MAIN(TestMailbox)
#include "test_mailbox.moc"
