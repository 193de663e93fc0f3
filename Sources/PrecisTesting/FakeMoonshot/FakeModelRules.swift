import Foundation

/// The platform's per-model rules as the fake enforces them, written from Moonshot's docs apart
/// from precis's own table, so a test catches precis sending what the platform refuses.
///
/// Every `kimi-*` model fixes sampling and takes `max_completion_tokens` (`max_tokens` is ignored,
/// as unknown fields are); K3 always reasons, takes `reasoning_effort` (low, high, max; max when
/// absent) and no `thinking`; K2.7's code models always reason and refuse `thinking` disabled;
/// K2.6 switches thinking, on by default; moonshot-v1 takes sampling fields and `max_tokens`.
struct FakeModelRules {
    enum Effort: String {
        case low, high, max
        /// Reasoning written at this effort, in multiples of the configured reasoning.
        var scale: Int {
            switch self {
            case .low: 1
            case .high: 2
            case .max: 4
            }
        }
    }

    struct Refusal: Error { var message: String }

    let model: String
    var isKimi: Bool { model.hasPrefix("kimi-") }
    var isK3: Bool { model.hasPrefix("kimi-k3") }
    var alwaysThinks: Bool { isK3 || model.hasPrefix("kimi-k2.7") || model.hasPrefix("kimi-k2-thinking") }
    var switchable: Bool { model.hasPrefix("kimi-k2.6") || model.hasPrefix("kimi-k2.5") }

    /// The field the limit is read from, and the one ignored.
    var limitFields: (String, String) {
        isKimi ? ("max_completion_tokens", "max_tokens") : ("max_tokens", "max_completion_tokens")
    }

    var defaultLimit: Int { isK3 ? 131_072 : isKimi ? 32_768 : 1024 }

    /// Whether the call thinks, and the fields it ignored; or why the request is refused.
    func thinking(_ field: Any?, effort: Any?) -> Result<(thinks: Bool, ignored: [String]), Refusal> {
        var ignored: [String] = []
        if let effort {
            if isK3 {
                guard let value = effort as? String, Effort(rawValue: value) != nil else {
                    return .failure(Refusal(message: "invalid reasoning_effort: must be one of low, high, max"))
                }
            } else {
                ignored.append("reasoning_effort")
            }
        }
        guard let field else { return .success((alwaysThinks || switchable, ignored)) }
        if isK3 {
            return .failure(
                Refusal(message: "thinking is not supported by \(model); it always thinks, use reasoning_effort"))
        }
        guard let type = (field as? [String: Any])?["type"] as? String, ["enabled", "disabled"].contains(type) else {
            return .failure(Refusal(message: "thinking.type must be enabled or disabled"))
        }
        if alwaysThinks {
            return type == "disabled"
                ? .failure(Refusal(message: "thinking cannot be disabled for \(model)")) : .success((true, ignored))
        }
        guard switchable else { return .failure(Refusal(message: "thinking is not supported by \(model)")) }
        return .success((type == "enabled", ignored))
    }

    /// Why a sampling field is refused: Kimi's models fix them all (1.0 thinking, 0.6 not).
    func sampling(_ object: [String: Any], thinks: Bool) -> String? {
        guard isKimi else { return nil }
        let fixed: [(String, Double)] = [
            ("temperature", thinks ? 1.0 : 0.6), ("top_p", 0.95), ("n", 1), ("presence_penalty", 0),
            ("frequency_penalty", 0)
        ]
        for (field, value) in fixed {
            if let sent = (object[field] as? NSNumber)?.doubleValue, abs(sent - value) > 1e-9 {
                return "invalid \(field): only \(value) is allowed for this model"
            }
        }
        return nil
    }
}
