import ArgumentParser
import Engine
import Foundation
import Protocol

struct AnalyzeInfluence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "influence",
        abstract: "FI of perturbing each sample's whole input, with the Jacobian norm and Cook's local influence as baselines.",
        discussion: """
            Per sample: FI (exact; reference mode with --reference-epsilon), p_y, rank, saturation = \
            FI / ((1 − p_y)/p_y), the Jacobian norm ‖∇_x log p_y‖, and Cook's local influence when the \
            input has at most 256 coordinates. Summaries: distribution, top samples, per-class table; \
            with --compare-data, the same for a second set and a two-sample KS test (e.g. training \
            against test set); with --outlier-labels (0/1 per sample), ROC AUC and average precision of \
            FI and of the Jacobian norm.

            Writes DIR/summary.json and DIR/samples.csv (columns index,label,predicted,p_label,fi,\
            fi_reference,jacobian_norm,rank,saturation,true_label,cook,outlier; `label` is the label FI \
            is taken for), and DIR/samples_compare.csv with --compare-data. Pictures: \
            fi_histogram.png (log scale) and saturation_histogram.png; roc.png and pr.png with \
            --outlier-labels; fi_histogram_compare.png (both sets, KS result) with --compare-data.

              seismo analyze influence --model m.onnx --data test.npy --labels y.npy --out runs/influence
            """)

    @OptionGroup var arguments: InfluenceArguments
    @OptionGroup var run: LocalRunOptions

    func run() async throws {
        let runner = try arguments.localJob()
        let dir = try makeOutputDirectory(run.out)
        let (summary, results) = try runner.run(label: "influence", threads: run.threads, shardSize: arguments.shardSize)
        let files = try InfluenceExport.write(summary: summary, results: results, to: dir)
        print(SummaryReport.influence(summary))
        note("wrote \(files.map { dir.appendingPathComponent($0).path }.joined(separator: ", "))")
    }
}

struct InfluenceArguments: KindArguments, InfluenceKindArguments {
    @OptionGroup var common: InfluenceCommonOptions
    @Option(help: "A second set of samples to compare with (e.g. the training set).") var compareData: String?
    @Option(help: "Labels of the comparison set.") var compareLabels: String?
    @Option(help: "0/1 per sample of --data: which samples are outliers.") var outlierLabels: String?

    func validate() throws {
        if compareLabels != nil, compareData == nil { throw ValidationError("--compare-labels needs --compare-data") }
    }

    func localJob() throws -> LocalJob<InfluenceAnalysis> {
        let options = InfluenceOptions(labelMode: common.labelMode ?? .predicted, referenceEpsilon: common.referenceEpsilon,
                                       precision: common.precision, top: common.top)
        return try LocalJob(InfluenceAnalysis.self, model: common.model, data: common.data, labels: common.labels,
                            comparison: compareData.map { ($0, compareLabels) }, outlierLabels: outlierLabels, options: options)
    }
}
