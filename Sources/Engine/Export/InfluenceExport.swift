import Foundation
import Protocol

/// The files of an `influence` job: summary.json, samples.csv (and samples_compare.csv), and the
/// pictures of `InfluenceFigures.influence`.
public enum InfluenceExport {
    public static let columns = ["index", "label", "predicted", "p_label", "fi", "fi_reference", "jacobian_norm", "rank", "saturation",
                                 "true_label", "cook", "outlier"]

    public static func write(summary: InfluenceSummary, results: [InfluenceShardResult], to directory: URL) throws -> [String] {
        var files = OutputFiles(directory: directory)
        try files.json(summary, "summary.json")
        for (set, name) in [(SampleSet.primary, "samples.csv"), (.comparison, "samples_compare.csv")] {
            let rows = results.filter { $0.shard.set == set }.flatMap(\.samples).sorted { $0.index < $1.index }
            guard set == .primary || !rows.isEmpty else { continue }
            try files.csv(header: columns, rows: rows.map(cells), name)
        }
        for (name, canvas) in InfluenceFigures.influence(summary) { try files.png(canvas, name) }
        return files.written
    }

    static func cells(_ s: SampleInfluence) -> [String] {
        [String(s.index), String(s.label), String(s.predicted), Cell.number(s.pLabel), Cell.number(s.fi), Cell.number(s.fiReference),
         Cell.number(s.jacobianNorm), String(s.rank), Cell.number(s.saturation), Cell.integer(s.trueLabel), Cell.number(s.cook),
         s.outlier.map { $0 ? "1" : "0" } ?? ""]
    }
}

/// The files of an `influence-params` job: summary.json, layers.csv (one row per sample and
/// layer) and layers.png (per-layer FI box plots along the depth).
public enum InfluenceParamsExport {
    public static let columns = ["index", "layer", "parameters", "fi", "fi_reference", "rank", "label", "predicted", "p_label", "saturation"]

    public static func write(summary: InfluenceParamsSummary, results: [InfluenceParamsShardResult], to directory: URL) throws -> [String] {
        var files = OutputFiles(directory: directory)
        try files.json(summary, "summary.json")
        let layers = results.first?.layers ?? []
        let rows = results.flatMap(\.samples).sorted { $0.index < $1.index }
        let cells = rows.flatMap { s in
            layers.enumerated().map { l, layer -> [String] in
                [String(s.index), Cell.text(layer.name), String(layer.parameters), Cell.number(s.fi[l]), Cell.number(s.fiReference?[l]),
                 String(s.rank[l]), String(s.label), String(s.predicted), Cell.number(s.pLabel),
                 Cell.number(s.fiBound > 0 ? s.fi[l] / s.fiBound : 1)]
            }
        }
        try files.csv(header: columns, rows: cells, "layers.csv")
        try files.png(InfluenceFigures.layers(summary), "layers.png")
        return files.written
    }
}
