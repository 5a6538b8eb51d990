package dev.downhill.autograd;

import static dev.downhill.testing.TensorArbitraries.broadcastPair;
import static dev.downhill.testing.TensorArbitraries.shapes;
import static dev.downhill.testing.TensorArbitraries.tensors;
import static dev.downhill.testing.TensorArbitraries.tensorsOfShape;
import static dev.downhill.testing.TensorArbitraries.values;
import static dev.downhill.testing.TensorArbitraries.valuesAwayFrom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.GradCheck.TensorFunction;
import dev.downhill.loss.CrossEntropyOptions;
import dev.downhill.loss.Loss;
import dev.downhill.loss.Reduction;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One table of every public differentiable op of {@link Tensor} and {@link Loss}: per op (keyed by
 * its Java signature) an input generator and the functions that {@link GradCheck} differentiates on
 * {@value #DRAWS} drawn inputs. Inputs keep away from kinks (|x| near 0, ties, clamp bounds), where
 * the goldens of {@code KinkGoldenTest} check PyTorch's choices instead.
 *
 * <p>{@link #everyPublicOpIsInTheTableOrExcludedWithAReason()} reads the public methods that return
 * a tensor (or tensors) by reflection: a new op with neither a row here nor an entry in
 * {@link #EXCLUDED} fails the build.
 */
class EveryOpGradientTest {
  static final int DRAWS = 8;

  /**
   * An op's row: how its inputs are drawn, how many of them (from the first) are differentiated —
   * the rest are constants such as targets, masks and conditions — and the functions GradCheck
   * differentiates (several may share a draw).
   */
  record Row(String signature, Arbitrary<Tensor[]> inputs, int checked, List<TensorFunction> functions) {}

  /** Public methods that return tensors but have no gradient to check, each with the reason. */
  static final Map<String, String> EXCLUDED = new LinkedHashMap<>();

  static {
    for (String f : List.of("zeros(int[])", "ones(int[])", "full(float,int[])", "of(float[])", "of(float[],int[])",
        "of(float[][])", "scalar(float)", "arange(float)", "arange(float,float,float)", "linspace(float,float,int)",
        "zerosLike()", "onesLike()")) {
      EXCLUDED.put(f, "a factory: makes a leaf from numbers, no input to differentiate");
    }
    for (String f : List.of("rand(Generator,int[])", "randn(Generator,int[])", "randint(Generator,int,int,int[])",
        "randperm(Generator,int)", "multinomial(Generator,Tensor,int,boolean)")) {
      EXCLUDED.put(f, "a random factory: no input to differentiate");
    }
    for (String c : List.of("eq", "ne", "lt", "le", "gt", "ge")) {
      EXCLUDED.put(c + "(Tensor)", "a comparison: a 0/1 result that is piecewise constant, never requires grad");
      EXCLUDED.put(c + "(float)", "a comparison: a 0/1 result that is piecewise constant, never requires grad");
    }
    for (String a : List.of("argmax()", "argmax(int,boolean)", "argmin()", "argmin(int,boolean)")) {
      EXCLUDED.put(a, "an index result: piecewise constant, never requires grad");
    }
    for (String m : List.of("fill(float)", "zero()", "copyFrom(Tensor)", "addInPlace(Tensor)", "addInPlace(Tensor,float)",
        "subInPlace(Tensor)", "mulInPlace(float)", "set(float,int[])", "updateInPlace(RangeWriter)",
        "readRange(RangeReader)")) {
      EXCLUDED.put(m, "in place: refused while grad is recorded, so there is no graph through it");
    }
    EXCLUDED.put("requiresGrad(boolean)", "marks a leaf; returns the tensor itself");
    EXCLUDED.put("retainGrad()", "a flag; returns the tensor itself");
    EXCLUDED.put("grad()", "an accessor: the accumulated gradient");
    EXCLUDED.put("detach()", "cuts the graph: no gradient flows through it by definition");
    EXCLUDED.put("copy()", "a new leaf with copied data: cut from the graph like detach");
  }

  // ---------------------------------------------------------------- input generators

  static Arbitrary<Tensor[]> one(Arbitrary<Tensor> t) {
    return t.map(x -> new Tensor[] {x});
  }

  static Arbitrary<Tensor> any() {
    return tensors(shapes(3, 9), values(-3, 3));
  }

  static Arbitrary<Tensor> positive() {
    return tensors(shapes(3, 9), values(0.2f, 4));
  }

  static Arbitrary<Tensor> awayFromZero() {
    return tensors(shapes(3, 9), valuesAwayFrom(-3, 3, 0));
  }

  /** Rank exactly {@code rank}, every dimension at least {@code min}. */
  static Arbitrary<Tensor> ofRank(int rank, int min, int max, Arbitrary<Float> values) {
    return Arbitraries.integers().between(min, max).array(int[].class).ofSize(rank).flatMap(s -> tensorsOfShape(s, values));
  }

  static Arbitrary<Tensor> rank3() {
    return ofRank(3, 1, 5, values(-3, 3));
  }

  /** Distinct values on a grid of step 6/n, shuffled: no tie, and no perturbation makes one. */
  static Arbitrary<Tensor> distinct(int rank) {
    return Arbitraries.integers().between(1, 4).array(int[].class).ofSize(rank).flatMap(s -> {
      int n = Arrays.stream(s).reduce(1, (a, b) -> a * b);
      return Arbitraries.shuffle(IntStream.range(0, n).boxed().toList()).map(order -> {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
          d[i] = -3f + 6f * order.get(i) / n;
        }
        return Tensor.of(d, s);
      });
    });
  }

  static Arbitrary<Tensor[]> broadcasting(Arbitrary<Float> second) {
    return broadcastPair(3, 6).flatMap(p -> Combinators.combine(tensorsOfShape(p[0], values(-3, 3)),
        tensorsOfShape(p[1], second)).as((a, b) -> new Tensor[] {a, b}));
  }

  /** Values rounded to multiples of 0.5, plus {@code shift}. */
  static Tensor onGrid(Tensor t, float shift) {
    float[] v = t.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round(v[i] * 2) / 2f + shift;
    }
    return t.dim() == 0 ? Tensor.scalar(v[0]) : Tensor.of(v, t.shape());
  }

  static Arbitrary<Tensor> grid() {
    return any().map(t -> onGrid(t, 0f));
  }

  /** Whole-number indices in [0, bound) of the given shape, repeats likely. */
  static Tensor indices(Generator gen, int bound, int... shape) {
    return Tensor.randint(gen, 0, bound, shape);
  }

  static Row row(String signature, Arbitrary<Tensor[]> inputs, TensorFunction... functions) {
    return new Row(signature, inputs, Integer.MAX_VALUE, List.of(functions));
  }

  /** A row whose last inputs (after the first {@code checked}) are held constant. */
  static Row row(String signature, Arbitrary<Tensor[]> inputs, int checked, TensorFunction... functions) {
    return new Row(signature, inputs, checked, List.of(functions));
  }

  // ---------------------------------------------------------------- the table

  static List<Row> table() {
    List<Row> t = new ArrayList<>();
    // broadcasting arithmetic
    t.add(row("add(Tensor)", broadcasting(values(-3, 3)), x -> x[0].add(x[1])));
    t.add(row("sub(Tensor)", broadcasting(values(-3, 3)), x -> x[0].sub(x[1])));
    t.add(row("mul(Tensor)", broadcasting(values(-3, 3)), x -> x[0].mul(x[1])));
    t.add(row("div(Tensor)", broadcasting(valuesAwayFrom(-3, 3, 0).filter(v -> Math.abs(v) > 0.5f)), x -> x[0].div(x[1])));
    // a on the half grid, b a quarter off it: every pair differs by at least 0.25, far from a tie
    Arbitrary<Tensor[]> apart = broadcasting(values(-3, 3)).map(p -> new Tensor[] {onGrid(p[0], 0f), onGrid(p[1], 0.25f)});
    t.add(row("maximum(Tensor)", apart, x -> x[0].maximum(x[1])));
    t.add(row("minimum(Tensor)", apart, x -> x[0].minimum(x[1])));
    // with a scalar
    t.add(row("add(float)", one(any()), x -> x[0].add(1.5f)));
    t.add(row("sub(float)", one(any()), x -> x[0].sub(-2f)));
    t.add(row("rsub(float)", one(any()), x -> x[0].rsub(0.5f)));
    t.add(row("mul(float)", one(any()), x -> x[0].mul(-1.7f)));
    t.add(row("div(float)", one(any()), x -> x[0].div(0.7f)));
    t.add(row("rdiv(float)", one(awayFromZero()), x -> x[0].rdiv(2.5f)));
    t.add(row("neg()", one(any()), x -> x[0].neg()));
    // functions
    t.add(row("pow(float)", one(positive()), x -> x[0].pow(2.5f), x -> x[0].pow(-1.5f), x -> x[0].pow(0f)));
    t.add(row("exp()", one(any()), x -> x[0].exp()));
    t.add(row("log()", one(positive()), x -> x[0].log()));
    t.add(row("sqrt()", one(positive()), x -> x[0].sqrt()));
    t.add(row("abs()", one(awayFromZero()), x -> x[0].abs()));
    t.add(row("sin()", one(any()), x -> x[0].sin()));
    t.add(row("cos()", one(any()), x -> x[0].cos()));
    // bounds at ±1.3 and ±0.2 while values sit on a 0.5 grid: no value within a step of a bound
    t.add(row("clamp(float,float)", one(grid()), x -> x[0].clamp(-1.3f, 1.3f)));
    t.add(row("clampMin(float)", one(grid()), x -> x[0].clampMin(0.2f)));
    t.add(row("clampMax(float)", one(grid()), x -> x[0].clampMax(-0.2f)));
    // activations
    t.add(row("relu()", one(awayFromZero()), x -> x[0].relu()));
    t.add(row("leakyRelu()", one(awayFromZero()), x -> x[0].leakyRelu()));
    t.add(row("leakyRelu(float)", one(awayFromZero()), x -> x[0].leakyRelu(0.3f)));
    t.add(row("sigmoid()", one(any()), x -> x[0].sigmoid()));
    t.add(row("tanh()", one(any()), x -> x[0].tanh()));
    t.add(row("gelu()", one(any()), x -> x[0].gelu()));
    t.add(row("gelu(GeluApproximate)", one(any()), x -> x[0].gelu(GeluApproximate.TANH)));
    t.add(row("silu()", one(any()), x -> x[0].silu()));
    t.add(row("softplus()", one(any()), x -> x[0].softplus()));
    t.add(row("softplus(float,float)", one(any()), x -> x[0].softplus(2f, 20f)));
    t.add(row("softmax(int)", one(rank3()), x -> x[0].softmax(1), x -> x[0].softmax(-1)));
    t.add(row("logSoftmax(int)", one(rank3()), x -> x[0].logSoftmax(0), x -> x[0].logSoftmax(2)));
    // reductions
    t.add(row("sum()", one(any()), x -> x[0].sum()));
    t.add(row("sum(int)", one(rank3()), x -> x[0].sum(1)));
    t.add(row("sum(int,boolean)", one(rank3()), x -> x[0].sum(-1, true), x -> x[0].sum(0, false)));
    t.add(row("mean()", one(any()), x -> x[0].mean()));
    t.add(row("mean(int)", one(rank3()), x -> x[0].mean(2)));
    t.add(row("mean(int,boolean)", one(rank3()), x -> x[0].mean(0, true)));
    t.add(row("max()", one(distinct(3)), x -> x[0].max()));
    t.add(row("min()", one(distinct(2)), x -> x[0].min()));
    t.add(row("max(int)", one(distinct(3)), x -> x[0].max(1).values()));
    t.add(row("max(int,boolean)", one(distinct(2)), x -> x[0].max(-1, true).values()));
    t.add(row("min(int)", one(distinct(3)), x -> x[0].min(0).values()));
    t.add(row("min(int,boolean)", one(distinct(2)), x -> x[0].min(1, true).values()));
    t.add(row("topk(int,int)", one(distinct(2)), x -> x[0].topk(1, 1).values(), x -> x[0].topk(x[0].size(0), 0).values()));
    t.add(row("topk(int,int,boolean)", one(distinct(3)), x -> x[0].topk(1, -1, false).values()));
    t.add(row("norm()", one(awayFromZero()), x -> x[0].norm()));
    t.add(row("norm(float)", one(awayFromZero()), x -> x[0].norm(1f), x -> x[0].norm(3f)));
    t.add(row("norm(int,boolean)", one(ofRank(2, 1, 5, valuesAwayFrom(-3, 3, 0))), x -> x[0].norm(-1, false)));
    // var and std need two or more entries (n − correction > 0) and a spread (std's derivative)
    Arbitrary<Tensor> spread = ofRank(2, 2, 5, values(0, 1)).map(x -> x.mul(0.3f).add(Tensor.arange(x.size(1)))); // entries ≥ 0.7 apart
    t.add(row("var(int,int,boolean)", one(spread), x -> x[0].var(1, 1, false), x -> x[0].var(0, 0, true)));
    t.add(row("var(int)", one(spread), x -> x[0].var(1), x -> x[0].var(0)));
    t.add(row("std(int,int,boolean)", one(spread), x -> x[0].std(1, 1, true)));
    t.add(row("std(int)", one(spread), x -> x[0].std(1)));
    // views and layout
    t.add(row("reshape(int[])", one(any()), x -> x[0].reshape(-1, 1).exp()));
    t.add(row("view(int[])", one(any()), x -> x[0].view(1, -1).mul(x[0].view(-1, 1).sum())));
    t.add(row("flatten()", one(any()), x -> x[0].flatten().mul(x[0].flatten())));
    t.add(row("squeeze()", one(any()), x -> x[0].unsqueeze(0).squeeze().mul(2f)));
    t.add(row("squeeze(int)", one(any()), x -> x[0].unsqueeze(0).squeeze(0).exp()));
    t.add(row("unsqueeze(int)", one(any()), x -> x[0].unsqueeze(-1).exp()));
    t.add(row("narrow(int,int,int)", one(rank3()), x -> x[0].narrow(0, x[0].size(0) - 1, 1).exp(),
        x -> x[0].narrow(2, 0, x[0].size(2)).mul(x[0].narrow(-1, -1, 1)))); // a view and a copy
    t.add(row("select(int,int)", one(rank3()), x -> x[0].select(0, -1).exp(), x -> x[0].select(1, 0).mul(3f)));
    t.add(row("transpose(int,int)", one(rank3()), x -> x[0].transpose(1, 2).mul(Tensor.arange(x[0].size(1)).add(1f))));
    t.add(row("t()", one(ofRank(2, 1, 6, values(-3, 3))), x -> x[0].t().exp()));
    t.add(row("permute(int[])", one(rank3()), x -> x[0].permute(2, 0, 1).exp()));
    t.add(row("movedim(int,int)", one(rank3()), x -> x[0].movedim(0, -1).exp()));
    t.add(row("expand(int[])", one(ofRank(2, 1, 3, values(-3, 3)).map(x -> x.narrow(1, 0, 1))),
        x -> x[0].expand(2, -1, 4).mul(Tensor.arange(8).reshape(2, 1, 4))));
    Arbitrary<Tensor[]> catPair = rank3().flatMap(a -> Arbitraries.integers().between(1, 4).flatMap(k -> {
      int[] s = a.shape();
      s[1] = k;
      return tensorsOfShape(s, values(-3, 3)).map(b -> new Tensor[] {a, b});
    }));
    t.add(row("cat(int,Tensor[])", catPair, x -> Tensor.cat(1, x[0], x[1]).exp()));
    Arbitrary<Tensor[]> samePair = rank3().flatMap(a -> tensorsOfShape(a.shape(), values(-3, 3)).map(b -> new Tensor[] {a, b}));
    t.add(row("stack(int,Tensor[])", samePair, x -> Tensor.stack(1, x[0], x[1]).exp(), x -> Tensor.stack(-1, x[0], x[1], x[0])));
    t.add(row("split(int,int)", one(rank3()), x -> weighted(x[0].split(2, 0))));
    t.add(row("split(int[],int)", one(ofRank(2, 3, 5, values(-3, 3))), x -> weighted(x[0].split(new int[] {1, x[0].size(1) - 1}, 1))));
    t.add(row("chunk(int,int)", one(rank3()), x -> weighted(x[0].chunk(3, 2))));
    t.add(row("meshgrid(String,Tensor[])", Combinators.combine(ofRank(1, 1, 5, values(-3, 3)), ofRank(1, 1, 5, values(-3, 3)))
        .as((a, b) -> new Tensor[] {a, b}), x -> weighted(Tensor.meshgrid("xy", x[0], x[1])), x -> weighted(Tensor.meshgrid("ij", x[0], x[1]))));
    // indexing and masks (the index tensors are drawn from a generator seeded by the input's size)
    t.add(row("indexSelect(int,Tensor)", one(rank3()), x -> x[0].indexSelect(1, indices(new Generator(x[0].numel()), x[0].size(1), 7)).exp()));
    t.add(row("gather(int,Tensor)", one(rank3()), x -> {
      int[] s = x[0].shape();
      s[2] = 6; // more picks than entries: repeats must accumulate
      return x[0].gather(2, indices(new Generator(x[0].numel()), x[0].size(2), s)).exp();
    }));
    t.add(row("embedding(Tensor)", one(ofRank(2, 1, 5, values(-3, 3))), x -> x[0].embedding(indices(new Generator(3), x[0].size(0), 2, 3)).exp()));
    // the condition and the mask are constants (a third and a second input), drawn as 0/1 of the same shapes
    Arbitrary<Tensor[]> condPair = broadcasting(values(-3, 3)).map(p -> new Tensor[] {p[0], p[1], p[0].gt(0f)});
    t.add(row("where(Tensor,Tensor,Tensor)", condPair, 2, x -> Tensor.where(x[2], x[0], x[1].exp())));
    t.add(row("maskedFill(Tensor,float)", any().map(a -> new Tensor[] {a, a.lt(0.5f)}), 1,
        x -> x[0].maskedFill(x[1], -7f).exp()));
    Arbitrary<Tensor> square = ofRank(3, 1, 5, values(-3, 3));
    t.add(row("tril(int)", one(square), x -> x[0].tril(0).exp(), x -> x[0].tril(-1).mul(2f)));
    t.add(row("triu(int)", one(square), x -> x[0].triu(1).exp(), x -> x[0].triu(0).mul(2f)));
    // products
    Arbitrary<Tensor[]> mm = Arbitraries.integers().between(1, 9).array(int[].class).ofSize(3).flatMap(d -> Combinators.combine(
        tensorsOfShape(new int[] {d[0], d[1]}, values(-3, 3)), tensorsOfShape(new int[] {d[1], d[2]}, values(-3, 3)),
        tensorsOfShape(new int[] {d[2]}, values(-3, 3))).as((a, b, c) -> new Tensor[] {a, b, c}));
    t.add(row("matmul(Tensor)", mm, x -> x[0].matmul(x[1])));
    t.add(row("linear(Tensor,Tensor)", mm, x -> x[0].linear(x[1].t(), x[2]), x -> x[0].linear(x[1].t(), null)));
    // losses (their options are drawn in LossGradientTest; here one form each, input and target in the table)
    Arbitrary<Tensor[]> regression = shapes(3, 6).flatMap(s -> Combinators.combine(tensorsOfShape(s, values(-3, 3)),
        tensorsOfShape(s, valuesAwayFrom(-2, 2, 0))).as((target, d) -> new Tensor[] {target.add(d), target}));
    t.add(row("Loss.mseLoss(Tensor,Tensor)", regression, 1, x -> Loss.mseLoss(x[0], x[1])));
    t.add(row("Loss.mseLoss(Tensor,Tensor,Reduction)", regression, 1, x -> Loss.mseLoss(x[0], x[1], Reduction.NONE)));
    t.add(row("Loss.l1Loss(Tensor,Tensor)", regression, 1, x -> Loss.l1Loss(x[0], x[1])));
    t.add(row("Loss.l1Loss(Tensor,Tensor,Reduction)", regression, 1, x -> Loss.l1Loss(x[0], x[1], Reduction.SUM)));
    t.add(row("Loss.smoothL1Loss(Tensor,Tensor)", regression, 1, x -> Loss.smoothL1Loss(x[0], x[1])));
    t.add(row("Loss.smoothL1Loss(Tensor,Tensor,float,Reduction)", regression, 1, x -> Loss.smoothL1Loss(x[0], x[1], 0.7f, Reduction.SUM)));
    t.add(row("Loss.huberLoss(Tensor,Tensor)", regression, 1, x -> Loss.huberLoss(x[0], x[1])));
    t.add(row("Loss.huberLoss(Tensor,Tensor,float,Reduction)", regression, 1, x -> Loss.huberLoss(x[0], x[1], 1.3f, Reduction.NONE)));
    Arbitrary<Tensor[]> classes = ofRank(2, 1, 6, values(-3, 3)).map(l -> new Tensor[] {l,
        indices(new Generator(l.numel()), l.size(1), l.size(0))});
    t.add(row("Loss.crossEntropy(Tensor,Tensor)", classes, 1, x -> Loss.crossEntropy(x[0], x[1])));
    t.add(row("Loss.crossEntropy(Tensor,Tensor,Reduction)", classes, 1, x -> Loss.crossEntropy(x[0], x[1], Reduction.SUM)));
    t.add(row("Loss.crossEntropy(Tensor,Tensor,CrossEntropyOptions)", classes, 1,
        x -> Loss.crossEntropy(x[0], x[1], CrossEntropyOptions.defaults().labelSmoothing(0.2f))));
    t.add(row("Loss.nllLoss(Tensor,Tensor)", classes, 1, x -> Loss.nllLoss(x[0].logSoftmax(1), x[1])));
    t.add(row("Loss.nllLoss(Tensor,Tensor,CrossEntropyOptions)", classes, 1,
        x -> Loss.nllLoss(x[0].logSoftmax(1), x[1], CrossEntropyOptions.defaults().reduction(Reduction.SUM))));
    Arbitrary<Tensor[]> binary = shapes(3, 6).flatMap(s -> Combinators.combine(tensorsOfShape(s, values(-3, 3)),
        tensorsOfShape(s, values(0, 1))).as((z, y) -> new Tensor[] {z, y}));
    t.add(row("Loss.binaryCrossEntropy(Tensor,Tensor)", binary, 1, x -> Loss.binaryCrossEntropy(x[0].sigmoid(), x[1])));
    t.add(row("Loss.binaryCrossEntropy(Tensor,Tensor,Tensor,Reduction)", binary, 1,
        x -> Loss.binaryCrossEntropy(x[0].sigmoid(), x[1], x[1].add(0.5f), Reduction.SUM)));
    t.add(row("Loss.binaryCrossEntropyWithLogits(Tensor,Tensor)", binary, 1, x -> Loss.binaryCrossEntropyWithLogits(x[0], x[1])));
    t.add(row("Loss.binaryCrossEntropyWithLogits(Tensor,Tensor,Tensor,Tensor,Reduction)", binary, 1,
        x -> Loss.binaryCrossEntropyWithLogits(x[0], x[1], null, x[1].add(1f), Reduction.NONE)));
    return t;
  }

  /** Σ over pieces of (k + 1)·Σ piece: each piece gets a different gradient, so a mixed-up piece is caught. */
  static Tensor weighted(Tensor[] pieces) {
    Tensor total = Tensor.scalar(0f);
    for (int k = 0; k < pieces.length; k++) {
      total = total.add(pieces[k].mul(pieces[k].add(k + 1f)).sum());
    }
    return total;
  }

  // ---------------------------------------------------------------- the checks

  @TestFactory
  Stream<DynamicTest> everyOpPassesGradCheckOnDrawnInputs() {
    return table().stream().map(r -> DynamicTest.dynamicTest(r.signature(), () -> {
      List<Tensor[]> draws = r.inputs().sampleStream().limit(DRAWS).toList();
      for (Tensor[] all : draws) {
        int k = Math.min(r.checked(), all.length);
        Tensor[] xs = Arrays.copyOf(all, k);
        for (int f = 0; f < r.functions().size(); f++) {
          TensorFunction fn = r.functions().get(f);
          GradCheck.Result res = GradCheck.defaults().check(in -> {
            Tensor[] args = all.clone();
            System.arraycopy(in, 0, args, 0, k);
            return fn.apply(args);
          }, xs);
          if (!res.passed()) {
            throw new AssertionError(r.signature() + ", function " + f + " on " + Arrays.toString(all) + ": " + res.describe());
          }
        }
      }
    }));
  }

  /** Signatures like {@code narrow(int,int,int)} of the public methods of {@code type} that return tensors. */
  static TreeSet<String> tensorMethods(Class<?> type, String prefix) {
    TreeSet<String> out = new TreeSet<>();
    for (Method m : type.getDeclaredMethods()) {
      Class<?> r = m.getReturnType();
      boolean tensors = r == Tensor.class || r == Tensor[].class || r == Tensor.ValuesIndices.class;
      if (Modifier.isPublic(m.getModifiers()) && tensors) {
        out.add(prefix + m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
            .collect(Collectors.joining(",")) + ")");
      }
    }
    return out;
  }

  @Test
  void everyPublicOpIsInTheTableOrExcludedWithAReason() {
    TreeSet<String> ops = tensorMethods(Tensor.class, "");
    ops.addAll(tensorMethods(Loss.class, "Loss."));
    TreeSet<String> rows = table().stream().map(Row::signature).collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> missing = new TreeSet<>(ops);
    missing.removeAll(rows);
    missing.removeAll(EXCLUDED.keySet());
    assertTrue(missing.isEmpty(), "public ops with neither a gradient row in EveryOpGradientTest.table() nor an"
        + " entry with a reason in EXCLUDED: " + missing);
    TreeSet<String> stale = new TreeSet<>(rows);
    stale.addAll(EXCLUDED.keySet());
    stale.removeAll(ops);
    assertTrue(stale.isEmpty(), "rows or exclusions for methods that do not exist (renamed?): " + stale);
    assertEquals(rows.size(), table().size(), "a signature has two rows");
  }
}
