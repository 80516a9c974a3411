import ArgumentParser
import Engine
import Foundation
import Protocol

struct AnalyzeParams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "influence-params",
        abstract: "FI of perturbing each layer's parameters, and all parameters together, per sample.",
        discussion: """
            A layer is an ONNX node that consumes trainable parameters (Conv: W, B; Gemm: weight, bias; \
            BatchNormalization: scale, B); a MatMul feeding an Add of a parameter is one layer. The \
            per-layer K×K Gram matrices of the parameter Jacobians are reduced inside the backward \
            pass, so the K × (all parameters) Jacobian is never held. The default label mode is `true`.

            Writes DIR/summary.json (per layer: distribution over samples, mean saturation; a ranking of \
            layers by mean FI) and DIR/layers.csv (one row per sample and layer: index,layer,parameters,\
            fi,fi_reference,rank,label,predicted,p_label,saturation; `layer` is the ONNX node name, or `all`), \
            and DIR/layers.png (each layer's FI across samples as a box plot, input to output).

              seismo analyze influence-params --model m.onnx --data x.npy --labels y.npy --out runs/params
            """)

    @OptionGroup var arguments: ParamsArguments
    @OptionGroup var run: LocalRunOptions

    func run() async throws {
        let runner = try arguments.localJob()
        let dir = try makeOutputDirectory(run.out)
        let (summary, results) = try runner.run(label: "influence-params", threads: run.threads, shardSize: arguments.shardSize)
        let files = try InfluenceParamsExport.write(summary: summary, results: results, to: dir)
        print(SummaryReport.params(summary))
        note("wrote \(files.map { dir.appendingPathComponent($0).path }.joined(separator: ", "))")
    }
}

struct ParamsArguments: KindArguments, InfluenceKindArguments {
    @OptionGroup var common: InfluenceCommonOptions

    func localJob() throws -> LocalJob<InfluenceParamsAnalysis> {
        // Setup 2 of the paper takes the true label.
        let options = InfluenceParamsOptions(labelMode: common.labelMode ?? .true, referenceEpsilon: common.referenceEpsilon,
                                             precision: common.precision, top: common.top)
        return try LocalJob(InfluenceParamsAnalysis.self, model: common.model, data: common.data, labels: common.labels, options: options)
    }
}
