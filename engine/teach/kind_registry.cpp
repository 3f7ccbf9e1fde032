#include "engine/teach/kind_registry.h"

namespace attent {

// One line per kind: the factory (defined in the kind's own file) and its registration.
#define ATTENT_REGISTER(registry, Kind, factory) \
  {                                              \
    extern std::unique_ptr<Kind> factory();      \
    registry.add(factory());                     \
  }

// Outside any unnamed namespace: a block-scope declaration names a function of the
// enclosing namespace, attent, where the kinds' files define them.
static void registerBuiltinTeachers(KindRegistry<TeacherKind>& r) {
  ATTENT_REGISTER(r, TeacherKind, randomTeacherKind)             // teacher_kinds.cpp
  ATTENT_REGISTER(r, TeacherKind, randomSubsetTeacherKind)       // teacher_kinds.cpp
  ATTENT_REGISTER(r, TeacherKind, atteNTTeacherKind)             // teacher_kinds.cpp
  ATTENT_REGISTER(r, TeacherKind, epochFullTeacherKind)          // epoch_kinds.cpp
  ATTENT_REGISTER(r, TeacherKind, epochAttentTeacherKind)        // epoch_kinds.cpp
  ATTENT_REGISTER(r, TeacherKind, epochRandomSubsetTeacherKind)  // epoch_kinds.cpp
  ATTENT_REGISTER(r, TeacherKind, epochShortFullTeacherKind)     // epoch_kinds.cpp
}

static void registerBuiltinExperiments(KindRegistry<ExperimentKind>& r){
    ATTENT_REGISTER(r, ExperimentKind, topicWordsKind)      // topic_words_kind.cpp
    ATTENT_REGISTER(r, ExperimentKind, scbKind)             // scb_kind.cpp
    ATTENT_REGISTER(r, ExperimentKind, scbTransferKind)     // scb_kind.cpp
    ATTENT_REGISTER(r, ExperimentKind, mosaicKind)          // mosaic_kind.cpp
    ATTENT_REGISTER(r, ExperimentKind, digitsVitKind)       // transformer_kinds.cpp
    ATTENT_REGISTER(r, ExperimentKind, textLmKind)          // transformer_kinds.cpp
    ATTENT_REGISTER(r, ExperimentKind, textLmFinetuneKind)  // transformer_kinds.cpp
    ATTENT_REGISTER(r, ExperimentKind, csvClassifyKind)     // transformer_kinds.cpp
}
#undef ATTENT_REGISTER

KindRegistry<ExperimentKind>& experimentKindRegistry() {
  static KindRegistry<ExperimentKind> registry = [] {
    KindRegistry<ExperimentKind> r("experiment kind");
    registerBuiltinExperiments(r);
    return r;
  }();
  return registry;
}

KindRegistry<TeacherKind>& teacherKindRegistry() {
  static KindRegistry<TeacherKind> registry = [] {
    KindRegistry<TeacherKind> r("teacher");
    registerBuiltinTeachers(r);
    return r;
  }();
  return registry;
}

}  // namespace attent
