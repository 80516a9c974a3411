import ONNX

/// Compiles one node with at least one batch-carrying input into an `Operation`, checking shapes.
extension GraphBuilder {
    mutating func compileActivationNode(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let fail = { (message: String) in ModelError.node(node.name, node.opType, message) }
        switch node.opType {
        case "Identity", "Dropout":
            env[node.outputs[0]] = inputs[0]
        case "Cast":
            guard try [1, 11].contains(node.int("to", default: 1)) else { throw fail("only casts to float or double are supported on network values") }
            env[node.outputs[0]] = inputs[0]
        case "Conv": try compileConvolution(node, inputs)
        case "BatchNormalization": try compileBatchNormalization(node, inputs)
        case "Relu": try addUnary(node, inputs, .relu)
        case "LeakyRelu": try addUnary(node, inputs, .leakyRelu(alpha: Double(node.float("alpha", default: 0.01))))
        case "Sigmoid": try addUnary(node, inputs, .sigmoid)
        case "Tanh": try addUnary(node, inputs, .tanh)
        case "Clip": try compileClip(node, inputs)
        case "MaxPool", "AveragePool", "GlobalAveragePool": try compilePooling(node, inputs)
        case "Gemm", "MatMul": try compileDense(node, inputs)
        case "Add", "Sub", "Mul", "Div": try compileElementwise(node, inputs)
        case "Concat": try compileConcat(node, inputs)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze": try compileReshape(node, inputs)
        case "Transpose", "Pad", "Slice": try compileGather(node, inputs)
        case "ReduceMean": try compileReduceMean(node, inputs)
        case "Softmax", "LogSoftmax": try compileSoftmax(node, inputs)
        default:
            throw fail("operator \(node.opType) is not supported")
        }
    }

    // MARK: - Operand helpers

    func activation(_ v: Value?, _ node: OnnxNode, _ what: String = "input 0") throws -> Int {
        guard case .activation(let a)? = v else {
            throw ModelError.node(node.name, node.opType, "\(what) must depend on the network input")
        }
        return a
    }

    func fixed(_ inputs: [Value?], _ i: Int, _ node: OnnxNode) throws -> StaticTensor? {
        guard i < inputs.count, let v = inputs[i] else { return nil }
        guard case .fixed(let t) = v else {
            throw ModelError.node(node.name, node.opType, "input \(i) must be an initializer or constant, not a computed value")
        }
        return t
    }

    /// A parameter for float initializers at differentiable inputs, else a constant.
    mutating func reference(_ t: StaticTensor, differentiable: Bool, _ node: OnnxNode, _ i: Int) -> ValueRef {
        if differentiable, t.isFloatInitializer, let name = t.initializerName {
            if let p = parameterIndex[name] { return .parameter(p) }
            parameters.append(Model.Parameter(name: name, shape: t.shape, values: t.values.map(Float.init)))
            parameterIndex[name] = parameters.count - 1
            return .parameter(parameters.count - 1)
        }
        let name = t.initializerName ?? "\(node.name):\(i)"
        if let c = constantIndex[name] { return .constant(c) }
        constants.append(Model.Constant(name: name, shape: t.shape, values: t.values))
        constantIndex[name] = constants.count - 1
        return .constant(constants.count - 1)
    }

    mutating func ref(_ v: Value, differentiable: Bool, _ node: OnnxNode, _ i: Int) -> ValueRef {
        switch v {
        case .activation(let a): .activation(a)
        case .fixed(let t): reference(t, differentiable: differentiable, node, i)
        }
    }

    mutating func addNode(_ node: OnnxNode, _ operation: Operation, _ refs: [ValueRef], itemShape: [Int]) {
        let out = addActivation(node.outputs[0], shape: itemShape)
        nodes.append(Model.Node(name: node.name, opType: node.opType, operation: operation, inputs: refs, output: out))
        env[node.outputs[0]] = .activation(out)
    }

    private mutating func addUnary(_ node: OnnxNode, _ inputs: [Value?], _ f: Activation.Function) throws {
        let a = try activation(inputs[0], node)
        addNode(node, .activation(Activation(function: f)), [.activation(a)], itemShape: activationShapes[a])
    }

    private mutating func compileClip(_ node: OnnxNode, _ inputs: [Value?]) throws {
        var lo = -Double.greatestFiniteMagnitude, hi = Double.greatestFiniteMagnitude
        if opset < 11 {
            lo = Double(try node.float("min", default: -Float.greatestFiniteMagnitude))
            hi = Double(try node.float("max", default: Float.greatestFiniteMagnitude))
        } else {
            if let t = try fixed(inputs, 1, node), let v = t.values.first { lo = v }
            if let t = try fixed(inputs, 2, node), let v = t.values.first { hi = v }
        }
        try addUnary(node, [inputs[0]], .clip(min: lo, max: hi))
    }

    // MARK: - Layers with weights

    private mutating func compileConvolution(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let shape = activationShapes[x]
        guard shape.count == 3 else { throw ModelError.node(node.name, node.opType, "expects a C×H×W input, got \(shape)") }
        guard let w = try fixed(inputs, 1, node), w.shape.count == 4 else {
            throw ModelError.node(node.name, node.opType, "the weight must be a 4-D initializer (only 2-D convolutions are supported)")
        }
        let groups = try node.int("group", default: 1)
        guard groups > 0, shape[0] == w.shape[1] * groups, w.shape[0] % groups == 0 else {
            throw ModelError.node(node.name, node.opType, "weight \(w.shape) with group \(groups) does not fit \(shape[0]) input channels")
        }
        let window = try WindowAttributes(node, kernel: (w.shape[2], w.shape[3]), height: shape[1], width: shape[2])
        let geometry = ConvolutionGeometry(
            channels: w.shape[1], height: shape[1], width: shape[2], kernelHeight: w.shape[2], kernelWidth: w.shape[3],
            strideH: window.strides.0, strideW: window.strides.1, padTop: window.pads.top, padLeft: window.pads.left,
            padBottom: window.pads.bottom, padRight: window.pads.right,
            dilationH: window.dilations.0, dilationW: window.dilations.1)
        guard geometry.outputHeight > 0, geometry.outputWidth > 0 else {
            throw ModelError.node(node.name, node.opType, "the kernel does not fit the \(shape[1])×\(shape[2]) input")
        }
        let bias = try fixed(inputs, 2, node)
        if let bias, bias.count != w.shape[0] {
            throw ModelError.node(node.name, node.opType, "bias has \(bias.count) elements, expected \(w.shape[0])")
        }
        var refs: [ValueRef] = [.activation(x), reference(w, differentiable: true, node, 1)]
        if let bias { refs.append(reference(bias, differentiable: true, node, 2)) }
        let op = Convolution(geometry: geometry, outputChannels: w.shape[0], groups: groups, hasBias: bias != nil)
        addNode(node, .convolution(op), refs, itemShape: op.outputItemShape)
    }

    private mutating func compileBatchNormalization(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let shape = activationShapes[x]
        guard try node.int("training_mode", default: 0) == 0 else {
            throw ModelError.node(node.name, node.opType, "training_mode=1 graphs are not supported; export the model in eval mode")
        }
        var refs: [ValueRef] = [.activation(x)]
        for i in 1...4 {
            guard let t = try fixed(inputs, i, node), t.count == shape[0] else {
                throw ModelError.node(node.name, node.opType, "input \(i) must hold \(shape[0]) values (one per channel)")
            }
            refs.append(reference(t, differentiable: i <= 2, node, i))
        }
        let op = BatchNormalization(channels: shape[0], plane: shape.dropFirst().reduce(1, *),
                                    epsilon: Double(try node.float("epsilon", default: 1e-5)),
                                    momentum: Double(try node.float("momentum", default: 0.9)))
        addNode(node, .batchNormalization(op), refs, itemShape: shape)
    }

    private mutating func compilePooling(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let shape = activationShapes[x]
        guard shape.count == 3 else { throw ModelError.node(node.name, node.opType, "expects a C×H×W input, got \(shape)") }
        if node.outputs.count > 1, !node.outputs[1].isEmpty {
            throw ModelError.node(node.name, node.opType, "the Indices output is not supported")
        }
        var attributes: PoolingWindows.Attributes
        if node.opType == "GlobalAveragePool" {
            attributes = .init(kernel: (shape[1], shape[2]))
        } else {
            let kernel = try node.ints("kernel_shape", default: [])
            guard kernel.count == 2 else { throw ModelError.node(node.name, node.opType, "kernel_shape must have 2 entries, got \(kernel)") }
            let window = try WindowAttributes(node, kernel: (kernel[0], kernel[1]), height: shape[1], width: shape[2])
            attributes = .init(kernel: (kernel[0], kernel[1]), strides: window.strides, pads: window.pads,
                               dilations: window.dilations, ceilMode: try node.int("ceil_mode", default: 0) != 0,
                               countIncludePad: try node.int("count_include_pad", default: 0) != 0)
        }
        let windows: PoolingWindows
        do { windows = try PoolingWindows(height: shape[1], width: shape[2], attributes) } catch let e as ModelError {
            throw ModelError.node(node.name, node.opType, e.message)
        }
        let op = Pooling(kind: node.opType == "MaxPool" ? .max : .average, channels: shape[0], windows: windows)
        addNode(node, .pooling(op), [.activation(x)], itemShape: op.outputItemShape)
    }

    private mutating func compileDense(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let a = try activation(inputs[0], node, "the left operand")
        let shape = activationShapes[a]
        guard let b = try fixed(inputs, 1, node), b.shape.count == 2 else {
            throw ModelError.node(node.name, node.opType, "the right operand must be a 2-D initializer or constant")
        }
        let isGemm = node.opType == "Gemm"
        let transB = isGemm ? try node.int("transB", default: 0) != 0 : false
        if isGemm {
            guard try node.int("transA", default: 0) == 0 else { throw ModelError.node(node.name, node.opType, "transA=1 on a batched input is not supported") }
            guard shape.count == 1 else { throw ModelError.node(node.name, node.opType, "expects a 2-D input [N, k], got items of shape \(shape)") }
        }
        let (inner, outer) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard shape.last == inner else {
            throw ModelError.node(node.name, node.opType, "input items \(shape) do not match weight \(b.shape)\(transB ? " (transB)" : "")")
        }
        var refs: [ValueRef] = [.activation(a), reference(b, differentiable: true, node, 1)]
        var biasOffsets: [Int32]?
        if isGemm, let c = try fixed(inputs, 2, node) {
            var cShape = c.shape
            if cShape.count == 2, cShape[0] == 1 { cShape.removeFirst() }
            guard cShape.count <= 1, cShape.isEmpty || cShape[0] == outer || cShape[0] == 1 else {
                throw ModelError.node(node.name, node.opType, "bias of shape \(c.shape) does not broadcast to [N, \(outer)]")
            }
            if c.count != outer { biasOffsets = broadcastOffsets(from: cShape, to: [outer]) }
            refs.append(reference(c, differentiable: true, node, 2))
        }
        let op = Dense(rowsPerItem: shape.dropLast().reduce(1, *), inner: inner, outer: outer, transB: transB,
                       alpha: isGemm ? Double(try node.float("alpha", default: 1)) : 1,
                       beta: isGemm ? Double(try node.float("beta", default: 1)) : 1,
                       biasOffsets: biasOffsets, hasBias: refs.count > 2, outputItemShape: shape.dropLast() + [outer])
        addNode(node, .dense(op), refs, itemShape: op.outputItemShape)
    }

    private mutating func compileElementwise(_ node: OnnxNode, _ inputs: [Value?]) throws {
        guard inputs.count == 2, let v0 = inputs[0], let v1 = inputs[1] else {
            throw ModelError.node(node.name, node.opType, "needs two inputs")
        }
        let values = [v0, v1]
        let itemRank = values.compactMap { v -> Int? in if case .activation(let a) = v { activationShapes[a].count } else { nil } }.max()!
        var shapes: [[Int]] = [], batched: [Bool] = []
        for v in values {
            switch v {
            case .activation(let a):
                guard activationShapes[a].count == itemRank else {
                    throw ModelError.node(node.name, node.opType, "batched operands of different ranks are not supported")
                }
                shapes.append(activationShapes[a]); batched.append(true)
            case .fixed(let t):
                var s = t.shape
                if s.count == itemRank + 1 {
                    guard s[0] == 1 else { throw ModelError.node(node.name, node.opType, "constant of shape \(t.shape) would broadcast over the batch axis") }
                    s.removeFirst()
                }
                guard s.count <= itemRank else { throw ModelError.node(node.name, node.opType, "constant of shape \(t.shape) has a higher rank than the network value") }
                shapes.append(s); batched.append(false)
            }
        }
        let op: Elementwise
        do { op = try Elementwise(function: .init(rawValue: node.opType)!, shapes: shapes, batched: batched) } catch let e as ModelError {
            throw ModelError.node(node.name, node.opType, e.message)
        }
        let refs = values.enumerated().map { ref($0.element, differentiable: true, node, $0.offset) }
        addNode(node, .elementwise(op), refs, itemShape: op.outputShape)
    }

    private mutating func compileConcat(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let parts = try inputs.enumerated().map { try activation($0.element, node, "input \($0.offset)") }
        let shapes = parts.map { activationShapes[$0] }
        let axis = try ConstantFolding.normalizedAxis(node.int("axis", default: 1), rank: shapes[0].count + 1, node)
        guard axis >= 1 else { throw ModelError.node(node.name, node.opType, "concatenation along the batch axis is not supported") }
        let item = axis - 1
        for s in shapes where s.count != shapes[0].count || s.enumerated().contains(where: { $0.offset != item && $0.element != shapes[0][$0.offset] }) {
            throw ModelError.node(node.name, node.opType, "inputs \(shapes) differ outside axis \(axis)")
        }
        var out = shapes[0]
        out[item] = shapes.reduce(0) { $0 + $1[item] }
        let op = Concatenation(blocks: shapes.map { $0[item...].reduce(1, *) }, outer: out[..<item].reduce(1, *), outputItemShape: out)
        addNode(node, .concatenation(op), parts.map { .activation($0) }, itemShape: out)
    }

    private mutating func compileSoftmax(_ node: OnnxNode, _ inputs: [Value?]) throws {
        let x = try activation(inputs[0], node)
        let shape = activationShapes[x]
        let axis = try ConstantFolding.normalizedAxis(node.int("axis", default: opset < 13 ? 1 : -1), rank: shape.count + 1, node)
        guard axis == shape.count || (opset < 13 && axis == 1 && shape.count == 1) else {
            throw ModelError.node(node.name, node.opType, "only a softmax over the last axis is supported (axis \(axis) of rank \(shape.count + 1))")
        }
        addNode(node, .softmax(Softmax(logarithmic: node.opType == "LogSoftmax", width: shape.last!)), [.activation(x)], itemShape: shape)
    }
}
