/// The sound field the pressure was measured in (ISO 532-1:2017, 5.1 and Table A.5): a frontal
/// free field, or a diffuse field (the levels are raised by ΔL_DF before core loudness).
public enum SoundField: String, Sendable, CaseIterable {
    case free
    case diffuse
}
