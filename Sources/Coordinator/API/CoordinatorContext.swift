import Hummingbird
import NIOCore

/// The request context of the coordinator's API: Hummingbird's basic context, room for artifact
/// uploads (data sets are larger than the default 2 MiB limit; each route has its own cap), and
/// the connection, so a long-poll claim can tell that its worker hung up.
public struct CoordinatorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { APIRoute.uploadArtifact.bodyLimit }

    /// False once the client has closed its connection.
    var clientConnected: Bool { channel.isActive }
}
