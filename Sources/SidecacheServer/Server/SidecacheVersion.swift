/// The version this build reports (`sidecache --version`, INFO `sidecache_version`).
public enum SidecacheVersion {
    public static let current = "0.1.0"
}
