package dev.downhill.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.downhill.autograd.GeluApproximate;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.optim.SGD;
import dev.downhill.optim.lr.CosineAnnealingLR;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The activation modules are their Tensor methods, print as PyTorch's, and train an MLP end to end. */
class ActivationModulesTest {

  @Test
  void eachModuleIsItsTensorMethod() {
    Tensor x = Tensor.randn(new Generator(4), 3, 7);
    List<Object[]> pairs = List.of(
        new Object[] {new ReLU(), (UnaryOperator<Tensor>) Tensor::relu},
        new Object[] {new LeakyReLU(0.2f), (UnaryOperator<Tensor>) t -> t.leakyRelu(0.2f)},
        new Object[] {new Sigmoid(), (UnaryOperator<Tensor>) Tensor::sigmoid},
        new Object[] {new Tanh(), (UnaryOperator<Tensor>) Tensor::tanh},
        new Object[] {new GELU(), (UnaryOperator<Tensor>) Tensor::gelu},
        new Object[] {new GELU(GeluApproximate.TANH), (UnaryOperator<Tensor>) t -> t.gelu(GeluApproximate.TANH)},
        new Object[] {new SiLU(), (UnaryOperator<Tensor>) Tensor::silu},
        new Object[] {new Softplus(2f, 10f), (UnaryOperator<Tensor>) t -> t.softplus(2f, 10f)},
        new Object[] {new Softmax(1), (UnaryOperator<Tensor>) t -> t.softmax(1)},
        new Object[] {new LogSoftmax(-1), (UnaryOperator<Tensor>) t -> t.logSoftmax(-1)});
    for (Object[] p : pairs) {
      @SuppressWarnings("unchecked")
      UnaryOperator<Tensor> f = (UnaryOperator<Tensor>) p[1];
      assertArrayEquals(f.apply(x).toArray(), ((Module) p[0]).forward(x).toArray(), p[0].toString());
    }
  }

  @Test
  void printsLikePyTorch() {
    assertEquals("ReLU()", new ReLU().toString());
    assertEquals("GELU(approximate='none')", new GELU().toString());
    assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
    assertEquals("Softmax(dim=1)", new Softmax(1).toString());
  }

  /** XOR with a ReLU MLP, SGD with momentum, clipping and a cosine schedule: the loss goes near zero. */
  @Test
  void aReluNetworkLearnsXor() {
    Generator g = new Generator(0);
    Sequential m = new Sequential(new Linear(2, 16, g), new ReLU(), new Linear(16, 1, g));
    Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
    SGD opt = new SGD(m.parameters(), SGD.options().lr(0.1).momentum(0.9));
    CosineAnnealingLR sched = new CosineAnnealingLR(opt, 500, 0.001);
    float loss = Float.NaN;
    for (int i = 0; i < 500; i++) {
      opt.zeroGrad();
      Tensor l = m.forward(x).sub(y).pow(2f).mean();
      loss = l.item();
      l.backward();
      Utils.clipGradNorm(m.parameters(), 1.0);
      opt.step();
      sched.step();
    }
    assertTrue(loss < 1e-3, "loss " + loss);
  }
}
