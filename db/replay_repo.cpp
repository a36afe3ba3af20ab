#include "db/replay_repo.h"

#include <string>
#include <vector>

#include "db/exec.h"
#include "db/records_repo.h"
#include "db/sql/records.h"
#include "db/sql/transaction.h"

namespace driftgate::db {

void MakeReadOnlySnapshot(pqxx::transaction_base& tx) { ExecText(tx, sql::kReadOnlySnapshot); }

void ForEachEvaluation(pqxx::transaction_base& tx, std::int64_t model_id, std::optional<std::int64_t> from_us,
                       std::optional<std::int64_t> to_us,
                       const std::function<void(std::span<const evaluate::LabeledEvent>)>& on_evaluation) {
  // libpqxx 6.4 has no std::optional parameters: NULL is a nullptr argument.
  const std::string from = from_us ? std::to_string(*from_us) : std::string();
  const std::string to = to_us ? std::to_string(*to_us) : std::string();
  ExecText(tx, sql::kDeclareReplayCursor, model_id, from_us ? from.c_str() : nullptr,
           to_us ? to.c_str() : nullptr);
  std::vector<evaluate::LabeledEvent> group;
  std::int64_t group_key = 0;
  for (;;) {
    const pqxx::result rows = ExecText(tx, sql::kFetchReplay);
    for (const auto& r : rows) {
      // Columns: batch_us, pred_class, pred_value, score, label_class, label_value, ts_us, broken, segment
      const std::int64_t key = r[0].as<std::int64_t>();
      if (!group.empty() && key != group_key) {
        on_evaluation(group);
        group.clear();
      }
      group_key = key;
      evaluate::LabeledEvent ev;
      if (!r[1].is_null()) ev.pair.predicted = r[1].as<std::string>();
      if (!r[2].is_null()) ev.pair.predicted_value = r[2].as<double>();
      if (!r[3].is_null()) ev.pair.score = r[3].as<double>();
      if (!r[4].is_null()) ev.pair.actual = r[4].as<std::string>();
      if (!r[5].is_null()) ev.pair.actual_value = r[5].as<double>();
      ev.ts_us = r[6].as<std::int64_t>();
      ReadInputFaults(ev.pair, r[7]);
      if (!r[8].is_null()) ev.segment = r[8].as<std::string>();
      group.push_back(std::move(ev));
    }
    if (rows.empty()) break;
  }
  if (!group.empty()) on_evaluation(group);
  ExecText(tx, sql::kCloseReplay);
}

}  // namespace driftgate::db
