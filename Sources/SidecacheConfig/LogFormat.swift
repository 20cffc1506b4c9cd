/// How log lines are written: human-readable text or one JSON object per line.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}
