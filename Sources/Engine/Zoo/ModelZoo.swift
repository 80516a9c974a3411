import ONNX

/// Standard small architectures, built as ONNX graphs for users without a model.
public enum Architecture: String, Sendable, CaseIterable {
    case mlp, cnn, resnet, densenet
    /// CIFAR-style ResNet-18: 3×3 stem, no max-pool, [2, 2, 2, 2] basic blocks of 64–512 channels.
    case resnet18Cifar = "resnet18-cifar"
}

public enum ModelZoo {
    public struct Specification: Sendable {
        public var architecture: Architecture
        /// C×H×W for images, or [D] for vectors (mlp only).
        public var inputShape: [Int]
        public var classes: Int
        public var inputScale: Double = 1
        public var seed: UInt64 = 0

        public init(architecture: Architecture, inputShape: [Int], classes: Int, inputScale: Double = 1, seed: UInt64 = 0) {
            self.architecture = architecture
            self.inputShape = inputShape
            self.classes = classes
            self.inputScale = inputScale
            self.seed = seed
        }
    }

    public static func build(_ spec: Specification) throws -> OnnxModel {
        guard spec.architecture == .mlp || spec.inputShape.count == 3 else {
            throw ModelError(place: "--arch \(spec.architecture.rawValue)", "needs an image input C×H×W, got \(spec.inputShape)")
        }
        var g = GraphAssembler(seed: spec.seed)
        var x = "input"
        if spec.inputScale != 1 { x = g.scale(x, by: spec.inputScale) }
        let logits: String
        switch spec.architecture {
        case .mlp: logits = mlp(&g, x, spec)
        case .cnn: logits = cnn(&g, x, spec)
        case .resnet: logits = resnet(&g, x, spec, widths: [16, 32, 64], blocks: [1, 1, 1])
        case .resnet18Cifar: logits = resnet(&g, x, spec, widths: [64, 128, 256, 512], blocks: [2, 2, 2, 2])
        case .densenet: logits = densenet(&g, x, spec)
        }
        return model(g, spec, logits: logits)
    }

    private static func mlp(_ g: inout GraphAssembler, _ x: String, _ s: Specification) -> String {
        let d = s.inputShape.reduce(1, *)
        var h = g.flatten(x)
        h = g.relu(g.gemm(h, d, 128))
        h = g.relu(g.gemm(h, 128, 64))
        return g.gemm(h, 64, s.classes)
    }

    private static func cnn(_ g: inout GraphAssembler, _ x: String, _ s: Specification) -> String {
        let (c, h, w) = (s.inputShape[0], s.inputShape[1], s.inputShape[2])
        var y = g.maxPool(g.relu(g.conv(x, c, 16, kernel: 3)), 2)
        y = g.maxPool(g.relu(g.conv(y, 16, 32, kernel: 3)), 2)
        y = g.flatten(y)
        y = g.relu(g.gemm(y, 32 * (h / 4) * (w / 4), 64))
        return g.gemm(y, 64, s.classes)
    }

    /// Basic-block ResNet: conv-BN-ReLU-conv-BN plus an identity (or 1×1 conv + BN) shortcut, Add, ReLU.
    private static func resnet(_ g: inout GraphAssembler, _ x: String, _ s: Specification, widths: [Int], blocks: [Int]) -> String {
        var y = g.relu(g.batchNorm(g.conv(x, s.inputShape[0], widths[0], kernel: 3, bias: false), widths[0]))
        var channels = widths[0]
        for (stage, width) in widths.enumerated() {
            for b in 0..<blocks[stage] {
                let stride = stage > 0 && b == 0 ? 2 : 1
                var r = g.relu(g.batchNorm(g.conv(y, channels, width, kernel: 3, stride: stride, bias: false), width))
                r = g.batchNorm(g.conv(r, width, width, kernel: 3, bias: false), width)
                let shortcut = stride == 1 && channels == width
                    ? y : g.batchNorm(g.conv(y, channels, width, kernel: 1, stride: stride, bias: false), width)
                y = g.relu(g.add(r, shortcut))
                channels = width
            }
        }
        return g.gemm(g.flatten(g.globalAveragePool(y)), channels, s.classes)
    }

    /// DenseNet-style: two dense blocks of BN-ReLU-Conv layers concatenated on channels, with a
    /// BN-ReLU-1×1 Conv-AveragePool transition between them.
    private static func densenet(_ g: inout GraphAssembler, _ x: String, _ s: Specification) -> String {
        let growth = 12
        var channels = 16
        var y = g.conv(x, s.inputShape[0], channels, kernel: 3, bias: false)
        for block in 0..<2 {
            for _ in 0..<3 {
                let new = g.conv(g.relu(g.batchNorm(y, channels)), channels, growth, kernel: 3, bias: false)
                y = g.concat([y, new])
                channels += growth
            }
            if block == 0 {
                y = g.averagePool(g.conv(g.relu(g.batchNorm(y, channels)), channels, channels / 2, kernel: 1, bias: false), 2)
                channels /= 2
            }
        }
        y = g.relu(g.batchNorm(y, channels))
        return g.gemm(g.flatten(g.globalAveragePool(y)), channels, s.classes)
    }

    static func model(_ g: GraphAssembler, _ s: Specification, logits: String) -> OnnxModel {
        var nodes = g.nodes
        // Name the logits tensor "logits" through the last node's output.
        if let last = nodes.indices.last {
            let old = nodes[last].outputs[0]
            nodes[last].outputs[0] = "logits"
            precondition(old == logits)
        }
        let input = OnnxValueInfo(name: "input", elementType: .float, dims: [.symbol("N")] + s.inputShape.map { .value($0) })
        let output = OnnxValueInfo(name: "logits", elementType: .float, dims: [.symbol("N"), .value(s.classes)])
        let graph = OnnxGraph(name: "seismo_\(s.architecture.rawValue)", nodes: nodes, initializers: g.initializers,
                              inputs: [input], outputs: [output], valueInfo: [])
        return OnnxModel(irVersion: 8, opsetImports: ["": 17], producerName: "seismo", producerVersion: "0.1.0", graph: graph)
    }
}
