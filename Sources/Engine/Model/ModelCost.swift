extension Model {
    /// Multiply-accumulates of one sample's forward pass through the convolutions and matrix products.
    public var forwardMultiplyAccumulates: Int {
        nodes.reduce(0) { total, node in
            switch node.operation {
            case .convolution(let c): total + c.outputItemCount * c.columnRows
            case .dense(let d): total + d.rowsPerItem * d.inner * d.outer
            default: total
            }
        }
    }
}
