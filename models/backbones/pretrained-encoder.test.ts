import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../../server/tf/runtime.ts';
import { AdamW } from '../../server/training/adamw.ts';
import { createModel, countParams } from '../create-model.ts';
import { TfOps, type ParamStore } from '../tf-ops.ts';
import { mobileNetV2 } from './mobilenet-v2.ts';
import { assignMobileNetV2Weights, readNsfwjsMobileNetV2 } from './nsfwjs-mobilenet-v2.ts';
import { encoderOriginOf, isEncoderParam } from './pretrained-encoder.ts';

const pkg = () => readNsfwjsMobileNetV2();

beforeAll(async () => {
  await initTf('wasm');
});

function values(params: ParamStore, name: string): Float32Array {
  return params.get(name)!.dataSync() as Float32Array;
}

describe('a network on the pretrained encoder', () => {
  it("starts every encoder weight from the package's (the stem rescaled for PixelDrive's [−1, 1] input) and the decoder random", () => {
    const tensors = pkg().tensors;
    const pretrained = createModel('unet-mobilenetv2', {}, 4);
    const random = createModel('unet-mobilenetv2', { encoderInit: 'random' }, 4);
    // Two weights that come straight from the package, and the stem that is halved.
    expect(Array.from(values(pretrained.params, 'enc.b5.dw.conv/depthwise_kernel'))).toEqual(
      Array.from(tensors.get('block_5_depthwise/depthwise_kernel')!.values),
    );
    expect(Array.from(values(pretrained.params, 'enc.last.bn/gamma'))).toEqual(Array.from(tensors.get('Conv_1_bn/gamma')!.values));
    const stem = values(pretrained.params, 'enc.stem.conv/kernel');
    tensors.get('Conv1/kernel')!.values.forEach((v, i) => expect(stem[i]).toBeCloseTo(v / 2, 6));
    // The control differs in the encoder only; the decoder is the same seeded random start.
    expect(Array.from(values(random.params, 'enc.b5.dw.conv/depthwise_kernel'))).not.toEqual(
      Array.from(tensors.get('block_5_depthwise/depthwise_kernel')!.values),
    );
    expect(Array.from(values(random.params, 'dec2.a.conv/kernel'))).toEqual(Array.from(values(pretrained.params, 'dec2.a.conv/kernel')));
    expect(countParams(pretrained.params)).toBe(countParams(random.params));
    pretrained.dispose();
    random.dispose();
  });

  it("computes on PixelDrive's input (RGB/127.5 − 1) what the package's network computes on its own (RGB/255), away from the padded edge", () => {
    const [h, w] = [64, 96];
    const pretrained = createModel('unet-mobilenetv2', { inputWidth: w, inputHeight: h }, 4);
    const theirs: ParamStore = new Map();
    const diff = tf.tidy(() => {
      mobileNetV2(new TfOps(theirs, false), tf.zeros([1, 32, 32, 3]) as tf.Tensor4D);
      assignMobileNetV2Weights(theirs, pkg().tensors);
      const rgb = tf.randomUniform([1, h, w, 3], 0, 255, 'float32', 8);
      const ours = mobileNetV2(new TfOps(pretrained.params, false), tf.sub(tf.div(rgb, 127.5), 1) as tf.Tensor4D).s2;
      const ref = mobileNetV2(new TfOps(theirs, false), tf.div(rgb, 255) as tf.Tensor4D).s2;
      // The stem pads the last row and column; block 0's 3×3 depthwise conv carries that one more pixel in.
      const inner = (t: tf.Tensor4D) => t.slice([0, 0, 0, 0], [1, h / 2 - 2, w / 2 - 2, -1]);
      const whole = tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0];
      return { inner: tf.max(tf.abs(tf.sub(inner(ours), inner(ref)))).dataSync()[0] / tf.max(tf.abs(ref)).dataSync()[0], whole };
    });
    expect(diff.inner).toBeLessThan(1e-5);
    // The edge does differ (so the comparison above is not of two identical computations by accident).
    expect(diff.whole).toBeGreaterThan(1e-3);
    for (const v of theirs.values()) v.dispose();
    pretrained.dispose();
  });

  it('DeepLabV3+ takes the encoder up to stride 16: the package layers past block 12 are left out, none of ours is unassigned', () => {
    const m = createModel('deeplabv3plus-mobilenetv2', {}, 4);
    expect(m.params.has('enc.b12.project.bn/gamma')).toBe(true);
    expect(m.params.has('enc.b13.expand.conv/kernel')).toBe(false);
    expect(Array.from(values(m.params, 'enc.b12.project.conv/kernel'))).toEqual(Array.from(pkg().tensors.get('block_12_project/kernel')!.values));
    m.dispose();
  });

  it('refuses the package weights at another width, and says why', () => {
    expect(() => createModel('unet-mobilenetv2', { alpha: 0.5 })).toThrow(/alpha 1.*alpha 0\.5/);
    expect(() => createModel('unet-mobilenetv2', { inputHeight: 48 })).toThrow(/inputHeight.*32/);
  });

  it('says on the card where the encoder came from, and nothing for a random start', () => {
    expect(encoderOriginOf({ arch: 'unet-mobilenetv2', encoderInit: 'nsfwjs' })).toMatchObject({
      package: 'nsfwjs@4.4.0',
      licence: 'MIT',
      trainedOn: expect.stringMatching(/ImageNet/),
    });
    expect(encoderOriginOf({ arch: 'unet-mobilenetv2', encoderInit: 'random' })).toBeNull();
    expect(encoderOriginOf({ arch: 'unet' })).toBeNull();
  });
});

describe('the encoder learning-rate multiplier', () => {
  it('moves encoder weights by the multiple of the step the decoder takes, and nothing else', () => {
    const params = new Map([
      ['enc.b3.dw.conv/depthwise_kernel', new Float32Array([1, 1])],
      ['dec0.a.conv/kernel', new Float32Array([1, 1])],
      ['enc0.a.conv/kernel', new Float32Array([1, 1])],
    ]);
    const grads = new Map([...params.keys()].map((k) => [k, new Float32Array([0.5, -0.5])]));
    new AdamW({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, lrScale: (n) => (isEncoderParam(n) ? 0.25 : 1) }).apply(params, grads, 0.1);
    const moved = (k: string) => 1 - params.get(k)![0];
    expect(moved('dec0.a.conv/kernel')).toBeCloseTo(0.1, 5);
    expect(moved('enc.b3.dw.conv/depthwise_kernel')).toBeCloseTo(0.025, 5);
    // The scratch U-Net's first stage ("enc0.") is not an encoder of ours.
    expect(moved('enc0.a.conv/kernel')).toBeCloseTo(0.1, 5);
  });
});
