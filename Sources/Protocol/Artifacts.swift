/// A file an analysis reads (a model, samples, labels), named by the SHA-256 of its bytes so that
/// any host can fetch, verify and cache it.
public struct ArtifactReference: Codable, Hashable, Sendable {
    /// Lower-case hex SHA-256 of the bytes.
    public var sha256: String
    /// The file name it was submitted under (for messages and exports).
    public var name: String
    public var bytes: Int

    public init(sha256: String, name: String, bytes: Int) {
        self.sha256 = sha256
        self.name = name
        self.bytes = bytes
    }
}

/// A set of samples: the images, optionally their labels, and how many there are.
public struct DatasetReference: Codable, Equatable, Sendable {
    public var data: ArtifactReference
    public var labels: ArtifactReference?
    /// Number of samples (checked against the data when the job is accepted).
    public var count: Int

    public init(data: ArtifactReference, labels: ArtifactReference? = nil, count: Int) {
        self.data = data
        self.labels = labels
        self.count = count
    }
}

/// Everything a job reads.
public struct JobInputs: Codable, Equatable, Sendable {
    public var model: ArtifactReference
    /// The samples analysed.
    public var primary: DatasetReference
    /// A second set compared with the first (e.g. training against test set).
    public var comparison: DatasetReference?
    /// 0/1 per primary sample: which are outliers.
    public var outlierLabels: ArtifactReference?
    /// `solution-set`: further trained solutions of the same network (S(0) as a set), and the
    /// perturbation directions of the perturbed points (NPY, one row per point).
    public var initialSolutions: [ArtifactReference]?
    public var directions: ArtifactReference?

    public init(model: ArtifactReference, primary: DatasetReference, comparison: DatasetReference? = nil,
                outlierLabels: ArtifactReference? = nil, initialSolutions: [ArtifactReference]? = nil, directions: ArtifactReference? = nil) {
        self.model = model
        self.primary = primary
        self.comparison = comparison
        self.outlierLabels = outlierLabels
        self.initialSolutions = initialSolutions
        self.directions = directions
    }

    /// Every artifact the job needs, each once.
    public var artifacts: [ArtifactReference] {
        var all = [model, primary.data]
        all += [primary.labels, comparison?.data, comparison?.labels, outlierLabels].compactMap { $0 }
        all += (initialSolutions ?? []) + [directions].compactMap { $0 }
        var seen = Set<String>()
        return all.filter { seen.insert($0.sha256).inserted }
    }
}

/// Artifacts are stored and streamed in chunks of this many bytes (the last may be shorter; an
/// empty artifact has one empty chunk).
public enum ArtifactChunking {
    public static let size = 1 << 20
}
