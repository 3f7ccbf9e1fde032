#pragma once
// The bad-input corpus (tests/corpus): each data or preset file, the preset it is fed to,
// and a fragment of the reason its message must give. Used by test_bad_inputs (the
// command line) and test_window_bad_inputs (the window).
#include <QString>

namespace {

const QString kCorpus = QStringLiteral(ATTENT_SOURCE_DIR "/tests/corpus/");

struct FileCase {
  const char* file;
  const char* preset;  // run --preset PRESET --data FILE; "" : the file is the preset
  const char* reason;  // a fragment of the reason the message must give
};

// Every file in tests/corpus except set_values.txt and the .attent files appears here once.
[[maybe_unused]] const FileCase kFileCases[] = {
    {"csv_empty.csv", "csv-classify", "empty"},
    {"csv_header_only.csv", "csv-classify", "no rows"},
    {"csv_blank_lines.csv", "csv-classify", "empty"},
    {"csv_unterminated_quote.csv", "csv-classify", "unterminated quote"},
    {"csv_truncated.csv", "csv-classify", "1 field"},
    {"csv_binary.csv", "csv-classify", "binary"},
    {"csv_utf16.csv", "csv-classify", "UTF-16"},
    {"csv_latin1.csv", "csv-classify", "not UTF-8"},
    {"csv_enormous_line.csv", "csv-classify", "longer than"},
    {"csv_single_class.csv", "csv-classify", "one class"},
    {"csv_wrong_field_count.csv", "csv-classify", "3 fields"},
    {"csv_empty_label.csv", "csv-classify", "empty label"},
    {"csv_nul_byte.csv", "csv-classify", "NUL"},
    {"csv_too_many_labels.csv", "csv-classify", "distinct labels"},
    {"csv_no_header.csv", "csv-classify", "not a header"},
    {"text_empty.txt", "text-lm", "empty"},
    {"text_binary.txt", "text-lm", "binary"},
    {"text_utf16.txt", "text-lm", "UTF-16"},
    {"text_latin1.txt", "text-lm", "not UTF-8"},
    {"text_enormous_line.txt", "text-lm", "longer than"},
    {"text_too_short.txt", "text-lm", "too few"},
    {"text_truncated_utf8.txt", "text-lm", "not UTF-8"},
    {"preset_empty.json", "", "not valid JSON"},
    {"preset_malformed.json", "", ":5:"},
    {"preset_truncated.json", "", "not valid JSON"},
    {"preset_top_level_array.json", "", "JSON object"},
    {"preset_missing_kind.json", "", "kind"},
    {"preset_unknown_kind.json", "", "alchemy"},
    {"preset_kind_not_string.json", "", "kind"},
    {"preset_wrong_type.json", "", "experiment.steps"},
    {"preset_unknown_key.json", "", "experiment.stepz"},
    {"preset_out_of_range.json", "", "experiment.steps"},
    {"preset_huge_number.json", "", "scb.context"},
    {"preset_overflow_number.json", "", "not valid JSON"},
    {"preset_nested_setting.json", "", "scb.lr"},
    {"preset_settings_array.json", "", "settings"},
    {"preset_impossible_combination.json", "", "scb.sparsity"},
    {"preset_binary.json", "", "not valid JSON"},
    {"preset_utf16.json", "", "not valid JSON"},
    {"preset_nan.json", "", "not valid JSON"},
};

}  // namespace
