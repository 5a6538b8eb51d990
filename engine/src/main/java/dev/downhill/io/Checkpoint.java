package dev.downhill.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.downhill.autograd.Generator;
import dev.downhill.autograd.Tensor;
import dev.downhill.nn.Module;
import dev.downhill.optim.Optimizer;
import dev.downhill.optim.lr.LRScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to resume training exactly, in one safetensors file: the model's parameters
 * under their {@code state_dict} names ({@code layers.0.weight}), the optimizer's buffers as tensors
 * named {@value #OPTIMIZER_PREFIX}{@code state.<param>.<buffer>}, and in the metadata key
 * {@value #KEY} (JSON) the step, the optimizer's hyper-parameters per group and step counts, the
 * schedule's epoch and learning rates, and each generator's {@link Generator#state()}.
 *
 * <pre>{@code
 * Checkpoint.save(dir.resolve("last.safetensors"), model, opt, sched, step, gen);
 * // later, with model, opt, sched and gen built exactly as before:
 * long step = Checkpoint.load(dir.resolve("last.safetensors"), model, opt, sched, gen);
 * }</pre>
 *
 * <p>Training resumed this way gives bit-identical parameters to training that never stopped, as
 * long as the data order is the same too: save at the end of an epoch, when the next epoch's
 * shuffle has not been drawn yet (a {@code DataLoader} draws it from its generator when the epoch
 * starts). PyTorch reads the file with {@code safetensors.torch.load_file}; its model tensors load
 * with {@code model.load_state_dict(sd, strict=False)} or after dropping the keys that start with
 * {@value #OPTIMIZER_PREFIX}.
 *
 * <p>{@link #load} checks everything before it changes anything: a damaged file
 * ({@link FileFormatException}), or names, shapes, optimizer kind, groups or generator count that do
 * not match what is passed (IllegalArgumentException naming the file and tensor, e.g.
 * {@code layers.0.weight: file has [500, 100], model has [500, 200]}). The model is never partly
 * loaded. A schedule is restored by replaying its saved number of {@code step()} calls on the freshly
 * built one passed in, and the result is checked against the saved learning rates.
 */
public final class Checkpoint {
  /** The metadata key holding the training state (JSON). */
  public static final String KEY = "downhill.checkpoint";
  /** The name prefix of optimizer buffers in the file. */
  public static final String OPTIMIZER_PREFIX = "__optimizer__.";

  private Checkpoint() {}

  /**
   * Saves the state of a training run atomically (temporary file, forced to disk, renamed).
   *
   * @param scheduler may be null (no schedule)
   * @param step the caller's step (or epoch) count, returned by {@link #load}
   * @param generators every generator the run draws from (initialisation, dropout, shuffling)
   */
  public static void save(Path path, Module model, Optimizer optimizer, LRScheduler scheduler, long step,
      Generator... generators) throws IOException {
    List<Safetensors.Item> items = new ArrayList<>();
    JsonArray modelNames = new JsonArray();
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
        throw new IllegalArgumentException("Checkpoint.save: parameter name '" + e.getKey() + "' starts with the reserved "
            + OPTIMIZER_PREFIX);
      }
      items.add(Safetensors.Item.of(e.getKey(), e.getValue()));
      modelNames.add(e.getKey());
    }
    JsonObject root = new JsonObject();
    root.addProperty("format", 1);
    root.addProperty("step", step);
    root.add("model", modelNames);
    root.add("optimizer", optimizerJson(optimizer, items));
    if (scheduler != null) {
      JsonObject s = new JsonObject();
      s.addProperty("class", scheduler.getClass().getName());
      s.addProperty("lastEpoch", scheduler.lastEpoch());
      JsonArray lrs = new JsonArray();
      for (double lr : scheduler.lastLr()) {
        lrs.add(Double.toString(lr));
      }
      s.add("lastLr", lrs);
      root.add("scheduler", s);
    }
    JsonArray gens = new JsonArray();
    for (Generator g : generators) {
      JsonArray words = new JsonArray();
      for (long w : g.state()) {
        words.add(w);
      }
      gens.add(words);
    }
    root.add("generators", gens);
    Safetensors.write(items, Map.of(KEY, root.toString()), path);
  }

  private static JsonObject optimizerJson(Optimizer optimizer, List<Safetensors.Item> items) {
    Optimizer.StateDict sd = optimizer.stateDict();
    List<Tensor> flat = new ArrayList<>();
    optimizer.paramGroups().forEach(g -> flat.addAll(g.params()));
    JsonObject o = new JsonObject();
    o.addProperty("class", optimizer.getClass().getName());
    JsonArray groups = new JsonArray();
    for (Map<String, Object> g : sd.paramGroups()) {
      JsonObject opts = new JsonObject();
      JsonArray params = new JsonArray();
      g.forEach((k, v) -> {
        if (k.equals("params")) {
          ((List<?>) v).forEach(i -> params.add((Integer) i));
        } else if (v instanceof Boolean b) {
          opts.addProperty(k, b);
        } else if (v instanceof Double d) {
          opts.addProperty(k, Double.toString(d));
        } else {
          throw new IllegalArgumentException("Checkpoint.save: optimizer option '" + k + "' is a " + v.getClass().getSimpleName()
              + "; only numbers and flags can be saved");
        }
      });
      JsonObject group = new JsonObject();
      group.add("options", opts);
      group.add("params", params);
      groups.add(group);
    }
    o.add("groups", groups);
    JsonArray state = new JsonArray();
    sd.state().forEach((i, s) -> {
      JsonObject st = new JsonObject();
      st.addProperty("param", i);
      JsonArray buffers = new JsonArray();
      s.forEach((k, v) -> {
        if (k.equals("step")) {
          st.addProperty("step", (Long) v);
        } else {
          buffers.add(k);
          float[] b = (float[]) v;
          items.add(new Safetensors.Item(OPTIMIZER_PREFIX + "state." + i + "." + k, flat.get(i).shape(), b, 0, b.length));
        }
      });
      st.add("buffers", buffers);
      state.add(st);
    });
    o.add("state", state);
    return o;
  }

  /**
   * Restores a run saved by {@link #save} into objects built as the saving run built them (same
   * architecture, optimizer kind and groups, schedule with the same options and not yet stepped,
   * the same number of generators), and returns the saved step. Checks everything first; on any
   * mismatch nothing of the model is changed.
   */
  public static long load(Path path, Module model, Optimizer optimizer, LRScheduler scheduler, Generator... generators)
      throws IOException {
    String file = path.toString();
    Map<String, Tensor> tensors;
    String json;
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      json = f.metadata().get(KEY);
      if (json == null) {
        throw new FileFormatException(file + ": not a downhill checkpoint (no '" + KEY + "' metadata); a plain model file"
            + " loads with model.loadStateDict(Safetensors.loadFile(path))");
      }
      tensors = f.readAll();
    }
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new FileFormatException(file + ": '" + KEY + "' metadata is not a JSON object: " + e.getMessage(), e);
    }
    try {
      return restore(file, root, tensors, model, optimizer, scheduler, generators);
    } catch (ClassCastException | IllegalStateException | NullPointerException | NumberFormatException
        | UnsupportedOperationException e) {
      throw new FileFormatException(file + ": '" + KEY + "' metadata is malformed: " + e, e);
    }
  }

  private static long restore(String file, JsonObject root, Map<String, Tensor> tensors, Module model, Optimizer optimizer,
      LRScheduler scheduler, Generator[] generators) {
    if (root.get("format").getAsInt() != 1) {
      throw new IllegalArgumentException(file + ": checkpoint format " + root.get("format") + " is not supported (1 is)");
    }
    // 1. The model: names and shapes, every difference listed.
    List<String> listed = new ArrayList<>();
    root.getAsJsonArray("model").forEach(n -> listed.add(n.getAsString()));
    Map<String, Tensor> modelState = fitModel(file, tensors, listed, model);
    // 2. The optimizer: kind, groups, buffers of the parameters' sizes.
    JsonObject o = root.getAsJsonObject("optimizer");
    String kind = o.get("class").getAsString();
    if (!kind.equals(optimizer.getClass().getName())) {
      throw new IllegalArgumentException(file + ": the checkpoint holds the state of a " + simple(kind) + ", the optimizer is a "
          + optimizer.getClass().getSimpleName());
    }
    List<Tensor> flat = new ArrayList<>();
    optimizer.paramGroups().forEach(g -> flat.addAll(g.params()));
    JsonArray groups = o.getAsJsonArray("groups");
    if (groups.size() != optimizer.paramGroups().size()) {
      throw new IllegalArgumentException(file + ": the checkpoint's optimizer has " + groups.size()
          + " parameter groups, this one has " + optimizer.paramGroups().size());
    }
    List<Map<String, Object>> groupDicts = new ArrayList<>();
    for (int gi = 0; gi < groups.size(); gi++) {
      JsonObject g = groups.get(gi).getAsJsonObject();
      Map<String, Object> opts = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : g.getAsJsonObject("options").entrySet()) {
        JsonPrimitive p = e.getValue().getAsJsonPrimitive();
        opts.put(e.getKey(), p.isBoolean() ? (Object) p.getAsBoolean() : (Object) Double.valueOf(p.getAsString()));
      }
      List<Integer> ids = new ArrayList<>();
      g.getAsJsonArray("params").forEach(i -> ids.add(i.getAsInt()));
      int have = optimizer.paramGroups().get(gi).params().size();
      if (ids.size() != have) {
        throw new IllegalArgumentException(file + ": the checkpoint's optimizer group " + gi + " has " + ids.size()
            + " parameters, this one's has " + have);
      }
      opts.put("params", ids);
      groupDicts.add(opts);
    }
    Map<Integer, Map<String, Object>> state = new LinkedHashMap<>();
    for (JsonElement se : o.getAsJsonArray("state")) {
      JsonObject s = se.getAsJsonObject();
      int i = s.get("param").getAsInt();
      if (i < 0 || i >= flat.size()) {
        throw new IllegalArgumentException(file + ": optimizer state for parameter " + i + ", but there are " + flat.size());
      }
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("step", s.get("step").getAsLong());
      for (JsonElement b : s.getAsJsonArray("buffers")) {
        String name = OPTIMIZER_PREFIX + "state." + i + "." + b.getAsString();
        Tensor t = tensors.get(name);
        int[] want = flat.get(i).shape();
        if (t == null) {
          throw new IllegalArgumentException(file + ": " + name + ": listed in the optimizer state, file has no such tensor");
        }
        if (!Arrays.equals(t.shape(), want)) {
          throw new IllegalArgumentException(file + ": " + name + ": file has " + Arrays.toString(t.shape()) + ", parameter "
              + i + " of the optimizer has " + Arrays.toString(want));
        }
        st.put(b.getAsString(), t.toArray());
      }
      state.put(i, st);
    }
    // 3. The schedule and the generators.
    JsonObject s = root.has("scheduler") ? root.getAsJsonObject("scheduler") : null;
    if ((s == null) != (scheduler == null)) {
      throw new IllegalArgumentException(file + ": the checkpoint has " + (s == null ? "no schedule" : "a " + simple(s.get("class").getAsString()))
          + ", but " + (scheduler == null ? "no scheduler" : "a " + scheduler.getClass().getSimpleName()) + " was passed");
    }
    if (s != null) {
      if (!s.get("class").getAsString().equals(scheduler.getClass().getName())) {
        throw new IllegalArgumentException(file + ": the checkpoint has a " + simple(s.get("class").getAsString())
            + " schedule, the one passed is a " + scheduler.getClass().getSimpleName());
      }
      if (scheduler.lastEpoch() != 0) {
        throw new IllegalArgumentException(file + ": pass a freshly built scheduler (its epoch is " + scheduler.lastEpoch()
            + ", not 0): it is restored by replaying the saved steps");
      }
    }
    JsonArray gens = root.getAsJsonArray("generators");
    if (gens.size() != generators.length) {
      throw new IllegalArgumentException(file + ": the checkpoint holds " + gens.size() + " generator state"
          + (gens.size() == 1 ? "" : "s") + ", " + generators.length + " generator" + (generators.length == 1 ? " was" : "s were")
          + " passed (the same ones, in the same order, as to save)");
    }
    long[][] words = new long[gens.size()][];
    for (int i = 0; i < words.length; i++) {
      JsonArray w = gens.get(i).getAsJsonArray();
      words[i] = new long[w.size()];
      for (int k = 0; k < w.size(); k++) {
        words[i][k] = w.get(k).getAsLong();
      }
      if (words[i].length != 5 || (words[i][1] & 1) == 0) {
        throw new IllegalArgumentException(file + ": generator state " + i + " is not one: " + w);
      }
    }
    // Everything checked: now change things. The schedule first, while the optimizer still holds the
    // learning rates it was built with (chainable schedules multiply the current one).
    if (s != null) {
      int epochs = s.get("lastEpoch").getAsInt();
      for (int e = 0; e < epochs; e++) {
        scheduler.step();
      }
      double[] saved = new double[s.getAsJsonArray("lastLr").size()];
      for (int i = 0; i < saved.length; i++) {
        saved[i] = Double.parseDouble(s.getAsJsonArray("lastLr").get(i).getAsString());
      }
      if (!Arrays.equals(saved, scheduler.lastLr())) {
        throw new IllegalArgumentException(file + ": replaying " + epochs + " schedule steps gives learning rates "
            + Arrays.toString(scheduler.lastLr()) + ", the checkpoint has " + Arrays.toString(saved)
            + ": the schedule was built with other options, or stepped with step(epoch)");
      }
    }
    optimizer.loadStateDict(new Optimizer.StateDict(state, groupDicts));
    model.loadStateDict(modelState);
    for (int i = 0; i < words.length; i++) {
      generators[i].setState(words[i]);
    }
    return root.get("step").getAsLong();
  }

  /**
   * Loads the parameters of {@code model} from a safetensors file: a plain one
   * ({@link Safetensors#saveFile} of {@code model.stateDict()}, or PyTorch's {@code save_file}) or a
   * checkpoint, whose optimizer tensors are skipped. The names and shapes must be the model's; every
   * difference is listed in one message ({@code layers.0.weight: file has [500, 100], model has
   * [500, 200]}) and then nothing is loaded.
   */
  public static void loadModel(Path path, Module model) throws IOException {
    Map<String, Tensor> tensors = Safetensors.loadFile(path);
    List<String> inFile = new ArrayList<>();
    tensors.keySet().forEach(k -> {
      if (!k.startsWith(OPTIMIZER_PREFIX)) {
        inFile.add(k);
      }
    });
    model.loadStateDict(fitModel(path.toString(), tensors, inFile, model));
  }

  /** The model's tensors from {@code tensors}, or an IllegalArgumentException listing every name or shape that differs. */
  private static Map<String, Tensor> fitModel(String file, Map<String, Tensor> tensors, List<String> inFile, Module model) {
    Map<String, Tensor> params = model.namedParameters();
    Map<String, Tensor> modelState = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      Tensor t = tensors.get(e.getKey());
      if (t == null) {
        problems.add(e.getKey() + ": model has " + Arrays.toString(e.getValue().shape()) + ", file has no such tensor");
      } else if (!Arrays.equals(t.shape(), e.getValue().shape())) {
        problems.add(e.getKey() + ": file has " + Arrays.toString(t.shape()) + ", model has " + Arrays.toString(e.getValue().shape()));
      } else {
        modelState.put(e.getKey(), t);
      }
    }
    for (String n : inFile) {
      if (!params.containsKey(n)) {
        Tensor t = tensors.get(n);
        problems.add(n + ": file has " + (t == null ? "it listed" : Arrays.toString(t.shape())) + ", model has no such parameter");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(file + ": the file does not fit the model: " + String.join("; ", problems));
    }
    return modelState;
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
