// The kind registry: a new teacher and a new experiment kind are one class and one
// registration each; unknown names and choices are refused with the valid ones listed.
#include <QtTest>
#include <memory>
#include <stdexcept>

#include "engine/core/input_error.h"
#include "engine/research/topic_words/topic_words.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

using namespace attent;

namespace {

// The trivial teacher of the issue: every other pool example, in order.
class EveryOtherTeacher : public Teacher {
 public:
  EveryOtherTeacher(int pool, std::uint64_t seed) : Teacher(pool, seed) {}
  std::string kind() const override { return "every-other"; }
  void nextBatch(Learner&, long, int batchSize, std::vector<int>& batch) override {
    batch.clear();
    for (int i = 0; i < batchSize; ++i, next_ = (next_ + 2) % (poolSize_ - poolSize_ % 2))
      batch.push_back(next_);
  }

 private:
  int next_ = 0;
};

class EveryOtherKind : public TeacherKind {
 public:
  std::string name() const override { return "every-other"; }
  std::unique_ptr<Teacher> make(const TeacherSetup& t) const override {
    return std::make_unique<EveryOtherTeacher>(t.poolSize, t.dataSeed);
  }
};

// A new experiment kind: one topic-words run driven by the new teacher.
class EveryOtherTopicKind : public ExperimentKind {
 public:
  std::string name() const override { return "topic-every-other"; }
  std::vector<SettingSpec> settingSpecs() const override {
    return concat(experimentSpecs(4, 2, false), topicWordsSettingSpecs());
  }
  std::unique_ptr<Experiment> build(const Settings& s, std::uint64_t seed) const override {
    auto task = std::make_shared<const TopicWordsTask>(s, seed);
    const TopicAttentionConfig lc = TopicAttentionConfig::from(s, task->config());
    Variant v{"every-other", [task, lc, seed] { return std::make_unique<TopicAttention>(task, lc, seed); },
              sgdConfig(0.1, 8), "every-other"};
    return assembleExperiment(s, {v}, seed, task, lockstepOptions(s));
  }
};

}  // namespace

class TestKindRegistry : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    teacherKindRegistry().add(std::make_unique<EveryOtherKind>());
    experimentKindRegistry().add(std::make_unique<EveryOtherTopicKind>());
  }

  void builtinKindsAreRegistered() {
    const auto kinds = experimentKinds();
    for (const char* k : {"topic-words", "scb", "scb-transfer", "mosaic", "digits-vit", "text-lm",
                          "text-lm-finetune", "csv-classify", "topic-every-other"})
      QVERIFY2(std::find(kinds.begin(), kinds.end(), k) != kinds.end(), k);
    QCOMPARE(teacherKindRegistry().names(),
             (std::vector<std::string>{"random", "random-subset", "attent", "epoch-full", "epoch-attent",
                                       "epoch-random-subset", "epoch-short-full", "every-other"}));
  }

  // The window puts a kind's lesson in front: the papers' kinds their figure, the teacher
  // comparisons their curves; a kind that states none (this file's) gets every view.
  void eachBuiltinKindStatesItsLesson() {
    const auto& r = experimentKindRegistry();
    for (const char* k : {"topic-words", "scb", "scb-transfer", "mosaic"})
      QVERIFY2(r.get(k).lesson() == Lesson::PaperFigure, k);
    for (const char* k : {"digits-vit", "text-lm", "text-lm-finetune", "csv-classify"})
      QVERIFY2(r.get(k).lesson() == Lesson::TeacherAgainstRandom, k);
    QVERIFY(r.get("topic-every-other").lesson() == Lesson::Unstated);
  }

  void aRegisteredTeacherIsBuiltByName() {
    Settings s = experimentSettings("topic-words");
    auto t = makeTeacher("every-other", s, 10, 1, 100);
    QCOMPARE(t->kind(), std::string("every-other"));
  }

  void aRegisteredKindBuildsAndTrainsWithItsTeacher() {
    Settings s = experimentSettings("topic-every-other");
    QVERIFY(!s.set("topic.samples", "100").has_value());
    QVERIFY(!s.set("topic.non_topic_words", "40").has_value());
    auto e = buildExperiment("topic-every-other", s, 3);
    QCOMPARE(e->runCount(), 1);
    while (!e->finished()) e->step();
    const Snapshot snap = e->snapshot(0);
    QCOMPARE(snap.runs.at(0).teacher.kind, std::string("every-other"));
    QCOMPARE(e->history(0).back().examplesSeen, 4L * 8);
  }

  void unknownNamesListTheValidOnes() {
    Settings s = experimentSettings("topic-words");
    try {
      makeTeacher("greedy", s, 10, 1, 100);
      QFAIL("an unknown teacher was accepted");
    } catch (const SettingsError& e) {
      QVERIFY2(QString(e.what()).contains(
                   "unknown teacher 'greedy'; valid teachers: random, random-subset, attent"),
               e.what());
    }
    QVERIFY_THROWS_EXCEPTION(SettingsError, experimentSettings("no-such-kind"));
  }

  void registeringANameTwiceIsRefused() {
    QVERIFY_THROWS_EXCEPTION(std::logic_error, teacherKindRegistry().add(std::make_unique<EveryOtherKind>()));
  }

  // A choice outside its table is an error naming the valid choices, never a silent default.
  void choicesParseToTheirEnumOrFail() {
    Settings teacher(teacherSettingSpecs());
    QVERIFY(!teacher.set("teacher.schedule", "cosine").has_value());
    QCOMPARE(atteNTConfig(teacher, 10).ratio.shape, RatioShape::Cosine);
    // A text setting can hold what a choice setting would refuse.
    Settings s({SettingSpec::text("teacher.schedule", "zigzag", "")});
    try {
      choiceOf<RatioShape>(s, "teacher.schedule",
                           {{"linear", RatioShape::Linear}, {"cosine", RatioShape::Cosine}});
      QFAIL("an unknown choice was accepted");
    } catch (const SettingsError& e) {
      QCOMPARE(QString(e.what()), QString("teacher.schedule is 'zigzag'; valid choices: linear, cosine"));
    }
  }
};

QTEST_APPLESS_MAIN(TestKindRegistry)
#include "test_kind_registry.moc"
