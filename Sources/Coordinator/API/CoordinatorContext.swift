import Hummingbird

/// The request context of the coordinator's API: Hummingbird's basic context with room for
/// artifact uploads (data sets are larger than the default 2 MiB limit).
public struct CoordinatorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Largest request body accepted (artifact uploads); other bodies are small.
    public static let uploadLimit = 4 << 30

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { Self.uploadLimit }
}
