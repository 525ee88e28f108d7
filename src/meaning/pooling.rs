//! Sentence-transformers' mean pooling: a text's vector is the mean of its tokens' last-layer
//! vectors (padding left out), scaled to length 1.

use candle_core::{DType, Tensor};

/// The mean of each row's token vectors where `mask` is 1, scaled to length 1.
pub fn mean_pooled_unit_vectors(
    hidden: &Tensor,
    mask: &Tensor,
) -> candle_core::Result<Vec<Vec<f32>>> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
    let mean = summed.broadcast_div(&counts)?;
    let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    mean.broadcast_div(&norms)?.to_vec2::<f32>()
}

#[cfg(test)]
mod tests {
    use candle_core::Device;

    use super::*;

    #[test]
    fn pooling_ignores_padding_and_makes_unit_vectors() {
        let hidden = Tensor::new(
            &[[[3.0f32, 4.0], [100.0, 100.0]], [[1.0, 0.0], [0.0, 1.0]]],
            &Device::Cpu,
        )
        .unwrap();
        let mask = Tensor::new(&[[1u32, 0], [1, 1]], &Device::Cpu).unwrap();
        let vectors = mean_pooled_unit_vectors(&hidden, &mask).unwrap();
        assert!((vectors[0][0] - 0.6).abs() < 1e-6 && (vectors[0][1] - 0.8).abs() < 1e-6);
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert!((vectors[1][0] - half).abs() < 1e-6 && (vectors[1][1] - half).abs() < 1e-6);
    }
}
