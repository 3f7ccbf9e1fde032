#include "app/commands/shard.h"

#include <QJsonArray>
#include <charconv>

namespace attent::app {

std::vector<long> Shard::slice(const std::vector<long>& seeds) const {
  const std::size_t n = seeds.size(), first = n * std::size_t(index - 1) / std::size_t(count),
                    last = n * std::size_t(index) / std::size_t(count);
  return {seeds.begin() + long(first), seeds.begin() + long(last)};
}

std::string Shard::folderName() const {
  return "shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

std::optional<Shard> parseShard(const std::string& text, std::size_t seedCount, std::string& error) {
  const auto slash = text.find('/');
  Shard s;
  // The whole of [first, last) must be a number.
  auto whole = [](const char* first, const char* last, int& value) {
    const auto [ptr, ec] = std::from_chars(first, last, value);
    return ec == std::errc() && ptr == last;
  };
  const char* begin = text.data();
  const bool parsed = slash != std::string::npos && whole(begin, begin + slash, s.index) &&
                      whole(begin + slash + 1, begin + text.size(), s.count);
  if (!parsed || s.count < 1 || s.index < 1 || s.index > s.count) {
    error = "needs I/N with 1 <= I <= N, e.g. 2/4, got '" + text + "'";
    return std::nullopt;
  }
  if (std::size_t(s.count) > seedCount) {
    error = std::to_string(s.count) + " slices of " + std::to_string(seedCount) +
            " seeds would leave a slice empty; give at least as many seeds (--seeds) as slices";
    return std::nullopt;
  }
  return s;
}

QJsonObject shardJson(const Shard& shard, const std::vector<long>& allSeeds) {
  QJsonArray seeds;
  for (long s : allSeeds) seeds.append(double(s));
  return {{"index", shard.index}, {"count", shard.count}, {"all_seeds", seeds}};
}

}  // namespace attent::app
