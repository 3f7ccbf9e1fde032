#include <QtTest>
#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "engine/core/input_error.h"
#include "engine/tasks/digits.h"
#include "engine/tasks/digits_task.h"

using namespace attent;

class TestDigits : public QObject {
  Q_OBJECT
 private slots:
  void countsLabelsAndPixelRanges() {
    const auto& d = optdigits();
    QCOMPARE(d.size(), std::size_t(1797));
    // Per-class counts of scikit-learn's copy (load_digits().target).
    const std::array<int, 10> expected = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
    std::array<int, 10> counts{};
    for (const auto& img : d) {
      QVERIFY(img.label >= 0 && img.label <= 9);
      ++counts[img.label];
      for (auto p : img.pixels) QVERIFY(p <= 16);
    }
    QCOMPARE(counts, expected);
  }
  void matchesTheShippedFile() {
    const auto& d = optdigits();
    // First image and label, as in the file's first line.
    const std::array<std::uint8_t, 64> first = {0, 0, 5,  13, 9,  1,  0, 0, 0, 0, 13, 15, 10, 15, 5, 0,
                                                0, 3, 15, 2,  0,  11, 8, 0, 0, 4, 12, 0,  0,  8,  8, 0,
                                                0, 5, 8,  0,  0,  9,  8, 0, 0, 4, 11, 0,  1,  12, 7, 0,
                                                0, 2, 14, 5,  10, 12, 0, 0, 0, 0, 6,  13, 10, 0,  0, 0};
    QCOMPARE(d[0].pixels, first);
    QCOMPARE(d[0].label, 0);
    // FNV-1a 64 over every value (64 pixels then the label, per image) of the sklearn file,
    // computed in Python from /usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](unsigned v) { h = (h ^ v) * 0x100000001b3ULL; };
    for (const auto& img : d) {
      for (auto p : img.pixels) mix(p);
      mix(static_cast<unsigned>(img.label));
    }
    QCOMPARE(h, std::uint64_t(0x776869cce3795967ULL));
  }
  void patchesReassembleTheImage() {
    for (int p : {2, 4, 8}) {
      DigitsPatchTask task({p, 0.2, 3});
      QCOMPARE(task.patchDim(), p * p);
      QCOMPARE(task.patchCount(), (8 / p) * (8 / p));
      for (Split split : {Split::Pool, Split::HeldOut})
        for (int i : {0, 17, task.size(split) - 1}) {
          const PatchExample e = task.example(split, i);
          const DigitImage& img = optdigits()[task.imageIndex(split, i)];
          QCOMPARE(e.label, img.label);
          const int side = 8 / p;
          for (int r = 0; r < 8; ++r)
            for (int c = 0; c < 8; ++c) {
              const int patch = (r / p) * side + c / p, within = (r % p) * p + c % p;
              QCOMPARE(e.patches[patch * p * p + within], img.pixels[r * 8 + c] / 16.0f);
            }
          const ExampleView v = task.render(split, i);
          QCOMPARE(v.imageWidth, 8);
          QCOMPARE(v.patchSize, p);
          QCOMPARE(static_cast<int>(v.tokens.size()), task.patchCount());
          QCOMPARE(v.label, std::to_string(img.label));
          for (float x : v.image) QVERIFY(x >= 0 && x <= 1);
        }
    }
  }
  void splitIsDisjointAndSeeded() {
    DigitsPatchTask a({4, 0.25, 1}), b({4, 0.25, 1}), c({4, 0.25, 2});
    QCOMPARE(a.size(Split::Pool) + a.size(Split::HeldOut), 1797);
    QCOMPARE(a.size(Split::HeldOut), 449);  // round(1797 * 0.25)
    std::set<int> seen;
    for (Split s : {Split::Pool, Split::HeldOut})
      for (int i = 0; i < a.size(s); ++i) QVERIFY(seen.insert(a.imageIndex(s, i)).second);
    bool sameAsB = true, sameAsC = true;
    for (int i = 0; i < a.size(Split::HeldOut); ++i) {
      sameAsB = sameAsB && a.imageIndex(Split::HeldOut, i) == b.imageIndex(Split::HeldOut, i);
      sameAsC = sameAsC && a.imageIndex(Split::HeldOut, i) == c.imageIndex(Split::HeldOut, i);
    }
    QVERIFY(sameAsB);
    QVERIFY(!sameAsC);
  }
  void probesAndClassNames() {
    DigitsPatchTask t({4, 0.2, 1});
    const auto names = t.classNames();
    QCOMPARE(names.size(), std::size_t(10));
    QCOMPARE(names[7], std::string("7"));
    const auto probes = t.probes();
    QCOMPARE(probes.size(), std::size_t(4));
    std::set<int> labels;
    for (int i : probes) labels.insert(t.example(Split::HeldOut, i).label);
    QCOMPARE(labels.size(), std::size_t(4));
  }
  void settings() {
    Settings s(DigitsPatchTask::settingSpecs());
    QVERIFY(s.set("vit.patch_size", "3").has_value());  // not a divisor of 8: refused up front
    QVERIFY(!s.set("vit.patch_size", "8").has_value());
    QVERIFY(!s.set("data.heldout_fraction", "0.1").has_value());
    auto t = DigitsPatchTask::fromSettings(s);
    QCOMPARE(t->patchCount(), 1);
    QCOMPARE(t->size(Split::HeldOut), 180);
    try {
      DigitsPatchTask bad({3, 0.2, 1});
      QFAIL("patch size 3 accepted");
    } catch (const SettingsError& e) {
      QVERIFY2(std::string(e.what()).find("2, 4, 8") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(SettingsError, DigitsPatchTask({4, 0.9, 1}));
  }
  void copiesRepeatThePoolsMostTypicalQuarter() {
    DigitsPatchTask::Config plain{4, 0.2, 3}, copied = plain;
    copied.copies = 2;
    const DigitsPatchTask base(plain), task(copied);
    const int n = base.size(Split::Pool), quarter = n / 4;
    QCOMPARE(task.size(Split::Pool), n + 2 * quarter);
    QCOMPARE(task.size(Split::HeldOut), base.size(Split::HeldOut));
    // Hand check of "typical": the squared distance to the own class's pool mean image.
    std::array<std::array<double, 64>, 10> mean{};
    std::array<int, 10> count{};
    for (int i = 0; i < n; ++i) {
      const DigitImage& d = optdigits()[base.imageIndex(Split::Pool, i)];
      ++count[d.label];
      for (int k = 0; k < 64; ++k) mean[d.label][k] += d.pixels[k];
    }
    auto distance = [&](int image) {
      const DigitImage& d = optdigits()[image];
      double s = 0;
      for (int k = 0; k < 64; ++k) s += std::pow(d.pixels[k] - mean[d.label][k] / count[d.label], 2);
      return s;
    };
    std::vector<double> all;
    for (int i = 0; i < n; ++i) all.push_back(distance(base.imageIndex(Split::Pool, i)));
    std::sort(all.begin(), all.end());
    for (int k = 0; k < 2 * quarter; ++k) {
      const int copy = n + k, original = n + k % quarter;
      QCOMPARE(task.imageIndex(Split::Pool, copy), task.imageIndex(Split::Pool, original));
      QVERIFY(distance(task.imageIndex(Split::Pool, copy)) <= all[quarter - 1] + 1e-9);
      QCOMPARE(task.example(Split::Pool, copy).label, task.trueLabel(Split::Pool, copy));
    }
  }
  void labelNoiseFlipsExactlyThatFractionOfThePoolOnly() {
    DigitsPatchTask::Config c{4, 0.2, 3};
    c.labelNoise = 0.25;
    const DigitsPatchTask task(c), again(c);
    const int n = task.size(Split::Pool);
    int flipped = 0;
    for (int i = 0; i < n; ++i) {
      const int given = task.example(Split::Pool, i).label, truth = task.trueLabel(Split::Pool, i);
      QVERIFY(given >= 0 && given < 10);
      QCOMPARE(again.example(Split::Pool, i).label, given);  // seeded
      if (given != truth) {
        ++flipped;
        QVERIFY(task.render(Split::Pool, i).text.find("labelled") != std::string::npos);
      }
    }
    QCOMPARE(flipped, int(std::lround(0.25 * n)));
    for (int i = 0; i < task.size(Split::HeldOut); ++i)
      QCOMPARE(task.example(Split::HeldOut, i).label, task.trueLabel(Split::HeldOut, i));
    c.labelNoise = 0.95;
    QVERIFY_THROWS_EXCEPTION(SettingsError, DigitsPatchTask{c});
  }
};

QTEST_APPLESS_MAIN(TestDigits)
#include "test_digits.moc"
